// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inheritance: at fork, a child gets its parent's inheritable entries in
 * a table of its own, before it first runs, as Java's
 * InheritableThreadLocal gives a new thread copies of its creator's.
 *
 * The fork hook runs with preemption disabled. On most kernels it may
 * allocate (atomically; if that fails the child inherits less, logged).
 * On PREEMPT_RT it may not: the allocators' locks sleep there. So on RT
 * a table with inheritable entries keeps a fork kit, what its task's
 * next fork needs (an empty child table of the right length and an empty
 * entry per inheritable value), built ahead in process context: when an
 * inheritable value is set, and after each fork that used the kit, by
 * task work that runs in the parent, and in the child, on their way back
 * to userspace. Nor may the RT fork hook insert into the registry (an
 * rhashtable insert may allocate, and before 6.9 its bucket locks
 * disable bottom halves, a sleeping lock on RT): the child's own task
 * work publishes its filled table, before the child's first user
 * instruction. Until then the child is seen with no table; a child that
 * never gets there (it exits first) frees it. A kernel thread, or a
 * worker cloned from a user task (io_uring's, vhost's), never gets there
 * while it lives: it inherits nothing, on every kernel, so that no
 * unpublished table is held for as long as it runs (a key's destroy
 * would wait for it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/llist.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "internal.h"

/* Kits whose refill work is queued: unload waits for them. */
static atomic_t tl_fork_kits_queued = ATOMIC_INIT(0);

struct tl_fork_kit {
	struct tl_table *table;		/* unpublished: empty, or the child's */
	struct tlmap_entry *entries;	/* unused, linked by ->next */
	unsigned int nr;		/* of them */
	atomic_t users;			/* refill works still to run */
	struct callback_head refill[2];	/* in the parent; in the child */
	struct llist_node free_node;	/* when no work could be queued */
};

static bool tl_entry_inherited(const struct tlmap_entry *e)
{
	struct tasklocal_key *key = tl_key_of(e->key);

	return key->inherit && key->ops && key->ops->child &&
	       !tlmap_entry_stale(e);
}

/* With the table locked: how many entries a child inherits. */
static unsigned int tl_count_inherited(struct tl_table *t)
{
	struct tlmap_slots *s = rcu_dereference_protected(t->map.slots,
					lockdep_is_held(&t->map.lock));
	unsigned int i, n = 0;

	for (i = 0; i < s->len; i++) {
		struct tlmap_entry *e = rcu_dereference_protected(s->slot[i],
					lockdep_is_held(&t->map.lock));

		if (e && tl_entry_inherited(e))
			n++;
	}
	return n;
}

/*
 * The length of a child's table for @n inherited entries: the smallest
 * that holds them below its resize threshold. Java gives the child the
 * parent's length; the two are the same, and so is every slot, unless
 * the parent's table is larger than its inheritable entries need.
 */
static unsigned int tl_inherit_len(unsigned int n)
{
	unsigned int len = TLMAP_INITIAL_LEN;

	while (n >= tlmap_threshold(len))
		len *= 2;
	return len;
}

/* With @t locked: is @kit enough for a fork of @t with @n to inherit? */
static bool tl_fork_kit_fits(struct tl_fork_kit *kit, unsigned int n)
{
	struct tlmap_slots *s;

	if (!kit || !kit->table || kit->nr < n)
		return false;
	s = rcu_dereference_protected(kit->table->map.slots, true);
	return s->len >= tl_inherit_len(n);
}

void tl_fork_kit_free(struct tl_fork_kit *kit)
{
	struct tlmap_entry *e, *next;

	for (e = kit->entries; e; e = next) {
		next = e->next;
		kfree(e);
	}
	if (kit->table)
		tl_table_release(kit->table);
	kfree(kit);
}

static struct tl_fork_kit *tl_fork_kit_alloc(unsigned int n, gfp_t gfp)
{
	struct tl_fork_kit *kit = kzalloc(sizeof(*kit), gfp);
	struct tlmap_entry *e;

	if (!kit)
		return NULL;
	kit->table = tl_table_create(current, tl_inherit_len(n), gfp);
	if (IS_ERR(kit->table)) {
		kit->table = NULL;
		goto free;
	}
	for (; kit->nr < n; kit->nr++) {
		e = kmalloc(sizeof(*e), gfp);
		if (!e)
			goto free;
		e->next = kit->entries;
		kit->entries = e;
	}
	return kit;
free:
	tl_fork_kit_free(kit);
	return NULL;
}

/**
 * tl_fork_prepare() - set aside what the next fork needs (PREEMPT_RT)
 * @t: the current task's table, just given an inheritable value
 * @gfp: allocation flags; nothing is done unless they allow sleeping
 *
 * Elsewhere than on PREEMPT_RT the fork hook allocates, and this does
 * nothing.
 */
void tl_fork_prepare(struct tl_table *t, gfp_t gfp)
{
	struct tl_fork_kit *kit;
	unsigned int n;
	bool fits;

	if (!IS_ENABLED(CONFIG_PREEMPT_RT) || !gfpflags_allow_blocking(gfp) ||
	    !READ_ONCE(t->inherit))
		return;
	tl_table_lock(t);
	n = tl_count_inherited(t);
	fits = tl_fork_kit_fits(t->kit, n);
	tl_table_unlock(t);
	if (!n || fits)
		return;
	kit = tl_fork_kit_alloc(n, gfp);
	if (!kit)
		return;		/* the next fork inherits nothing: logged */
	tl_table_lock(t);
	if (!t->dead)
		swap(kit, t->kit);
	tl_table_unlock(t);
	if (kit)
		tl_fork_kit_free(kit);
}

static LLIST_HEAD(tl_fork_kits_unused);

static void tl_fork_kits_free_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&tl_fork_kits_unused);
	struct tl_fork_kit *kit, *next;

	llist_for_each_entry_safe(kit, next, list, free_node)
		tl_fork_kit_free(kit);
}

static DECLARE_WORK(tl_fork_kits_free_work, tl_fork_kits_free_fn);

/* One user of a used kit is done; the last one frees it. Any context. */
static void tl_fork_kit_put(struct tl_fork_kit *kit)
{
	if (!atomic_dec_and_test(&kit->users))
		return;
	if (atomic_dec_and_test(&tl_fork_kits_queued))
		wake_up_var(&tl_fork_kits_queued);
	if (preemptible()) {
		tl_fork_kit_free(kit);
		return;
	}
	llist_add(&kit->free_node, &tl_fork_kits_unused);
	queue_work(system_unbound_wq, &tl_fork_kits_free_work);
}

/* Task work, in the parent or the child: a kit for the next fork. */
static void tl_fork_kit_refill(struct tl_fork_kit *kit)
{
	struct tl_table *t;

	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	/* only this task frees its table: t stays valid outside RCU */
	if (t)
		tl_fork_prepare(t, GFP_KERNEL_ACCOUNT);
	/* unload waits for the put, then for RCU: it is not left yet */
	rcu_read_lock();
	tl_fork_kit_put(kit);
	rcu_read_unlock();
}

static void tl_fork_kit_refill_parent(struct callback_head *work)
{
	tl_fork_kit_refill(container_of(work, struct tl_fork_kit, refill[0]));
}

/* In the child: publish the table it inherited, then refill. */
static void tl_fork_kit_refill_child(struct callback_head *work)
{
	struct tl_fork_kit *kit = container_of(work, struct tl_fork_kit,
					       refill[1]);
	struct tl_table *ct = xchg(&kit->table, NULL);

	/* once exiting, the exit hook has run or will not find it */
	if (ct && ((current->flags & PF_EXITING) || !ct->map.size ||
		   tl_table_publish(ct)))
		tl_table_release(ct);
	tl_fork_kit_refill(kit);
}

/* An entry for the child: from @kit, or allocated where the hook may. */
static struct tlmap_entry *tl_fork_entry(struct tl_fork_kit *kit,
					 struct tasklocal_key *key)
{
	struct tlmap_entry *e;

	if (!kit)
		return tl_entry_alloc(key, NULL, GFP_ATOMIC | __GFP_NOWARN |
						  __GFP_ACCOUNT);
	e = kit->entries;
	if (e) {
		kit->entries = e->next;
		kit->nr--;
		tl_entry_init(e, key, NULL);
	}
	return e;
}

/*
 * An entry tl_fork_entry() gave that the child does not get after all:
 * back into the kit, unused (no kfree() here: on PREEMPT_RT it may sleep,
 * and the fork hook runs with preemption off), or freed if it was
 * allocated here. Its key's weak reference is not the last: the parent's
 * entry, under the lock held, has one.
 */
static void tl_fork_entry_unused(struct tl_fork_kit *kit,
				 struct tlmap_entry *e)
{
	if (!kit) {
		tl_entry_free_unused(e);
		return;
	}
	tl_entry_fini(e);
	e->next = kit->entries;
	kit->entries = e;
	kit->nr++;
}

/*
 * Copy the parent's inheritable entries into the child's new map, as
 * Java's ThreadLocalMap(parentMap) constructor does: parent slot order,
 * each entry at the first free slot from its home, its value from the
 * key's child() op. Returns false if memory ran out.
 */
static bool tl_table_inherit(struct tl_table *pt, struct tl_table *ct,
			     struct tl_fork_kit *kit)
{
	struct tlmap_entry *e, *copy;
	struct tasklocal_key *key;
	struct tlmap_slots *s;
	bool ok = true;
	unsigned int i;
	void *value;

	tl_table_lock(pt);
	raw_spin_lock_nested(&ct->map.lock, SINGLE_DEPTH_NESTING);
	s = rcu_dereference_protected(pt->map.slots,
				      lockdep_is_held(&pt->map.lock));
	for (i = 0; i < s->len; i++) {
		e = rcu_dereference_protected(s->slot[i],
					      lockdep_is_held(&pt->map.lock));
		if (!e || !tl_entry_inherited(e))
			continue;
		key = tl_key_of(e->key);
		copy = tl_fork_entry(kit, key);
		if (!copy) {
			ok = false;
			break;
		}
		value = key->ops->child(key, e->value);
		if (IS_ERR_OR_NULL(value)) {
			tl_fork_entry_unused(kit, copy);
			atomic64_inc(&tl_stats.inherit_failed);
			continue;
		}
		copy->value = value;
		/* room was counted: entries only leave pt meanwhile */
		if (WARN_ON_ONCE(tlmap_insert_fresh(&ct->map, copy))) {
			tlmap_entry_release(&ct->map, copy);
			break;
		}
	}
	ct->inherit = ct->map.size != 0;
	raw_spin_unlock(&ct->map.lock);
	tl_table_unlock(pt);
	return ok;
}

/* With the parent's table locked: take its kit if it is enough for @n. */
static struct tl_fork_kit *tl_fork_kit_take(struct tl_table *pt,
					    unsigned int n)
{
	struct tl_fork_kit *kit = pt->kit;

	if (!tl_fork_kit_fits(kit, n))
		return NULL;
	pt->kit = NULL;
	return kit;
}

/* The kit is used: rebuild one, in the parent and in the child. */
static void tl_fork_kit_used(struct tl_fork_kit *kit,
			     struct task_struct *child)
{
	atomic_inc(&tl_fork_kits_queued);
	atomic_set(&kit->users, 3);
	init_task_work(&kit->refill[0], tl_fork_kit_refill_parent);
	init_task_work(&kit->refill[1], tl_fork_kit_refill_child);
	if (task_work_add(current, &kit->refill[0], TWA_RESUME))
		tl_fork_kit_put(kit);
	if (task_work_add(child, &kit->refill[1], TWA_RESUME))
		tl_fork_kit_put(kit);
	tl_fork_kit_put(kit);
}

/**
 * tl_table_task_fork() - give a new child its parent's inheritable values
 * @parent: the forking task (current)
 * @child: the child, not yet running
 *
 * Called from the sched_process_fork tracepoint, preemption disabled.
 * A parent that never held an inheritable entry costs one load here.
 */
void tl_table_task_fork(struct task_struct *parent, struct task_struct *child)
{
	struct tl_fork_kit *kit = NULL;
	struct tl_table *pt, *ct;
	bool inherited;
	unsigned int n;

	if (child->flags & (PF_KTHREAD | PF_IO_WORKER | TL_PF_USER_WORKER))
		return;
	rcu_read_lock();
	pt = tl_table_find(parent);
	if (!pt || !READ_ONCE(pt->inherit))
		goto out;
	tl_table_lock(pt);
	n = tl_count_inherited(pt);
	if (n)
		kit = tl_fork_kit_take(pt, n);
	tl_table_unlock(pt);
	if (!n)
		goto out;
	if (kit) {
		ct = kit->table;	/* stays in the kit: the child publishes it */
		ct->task = child;
		ct->pid = task_pid_nr(child);
	} else if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		goto nomem;
	} else {
		ct = tl_table_create(child, tl_inherit_len(n),
				     GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
		if (IS_ERR(ct))
			goto nomem;
	}
	inherited = tl_table_inherit(pt, ct, kit);
	if (kit)
		tl_fork_kit_used(kit, child);
	else if (!ct->map.size || tl_table_publish(ct))
		tl_table_release(ct);
	if (inherited)
		goto out;
nomem:
	pr_warn_ratelimited("pid %d: out of memory inheriting values\n",
			    task_pid_nr(child));
out:
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_task_fork);

/**
 * tl_fork_exit() - module unload: wait for the kits' refill work
 *
 * Task work runs on the task's way back to userspace, or at its exit:
 * soon, for the tasks that fork. Then free what is left.
 */
void tl_fork_exit(void)
{
	wait_var_event(&tl_fork_kits_queued,
		       !atomic_read(&tl_fork_kits_queued));
	/* the last callbacks may still be returning from their last lines */
	synchronize_rcu();
	flush_work(&tl_fork_kits_free_work);
}
