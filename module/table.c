// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of tables: task -> table, an RCU hash table.
 *
 * A table is created by its own task (on the first set) and freed by the
 * task-exit hook, or at module unload. Only its own task writes entries
 * into it; other tasks may remove a destroyed key's entries, and read it
 * under RCU, retrying on the table's seqcount for a consistent snapshot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "internal.h"

static struct rhashtable tl_tables;

/*
 * The table the current task of each CPU last found for itself: a hit
 * costs a per-CPU load and a compare instead of a hash lookup. A table
 * is cleared from every CPU's slot before it is freed (after RCU), and
 * only its own task stores it, so a slot holds NULL or a live table.
 */
static DEFINE_PER_CPU(struct tl_table *, tl_cpu_table);

static const struct rhashtable_params tl_table_params = {
	.key_len		= sizeof(struct task_struct *),
	.key_offset		= offsetof(struct tl_table, task),
	.head_offset		= offsetof(struct tl_table, node),
	.automatic_shrinking	= true,
};

/* Lock a table for writing: its map's lock, and its seqcount for readers. */
void tl_table_lock(struct tl_table *t)
	__acquires(&t->map.lock)
{
	spin_lock(&t->map.lock);
	write_seqcount_begin(&t->seq);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_lock);

void tl_table_unlock(struct tl_table *t)
	__releases(&t->map.lock)
{
	write_seqcount_end(&t->seq);
	spin_unlock(&t->map.lock);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_unlock);

/**
 * tl_table_find() - the table of a task, or NULL
 * @task: the task
 *
 * Call under rcu_read_lock(); the table stays valid until it is dropped.
 *
 * Return: the table, or NULL.
 */
struct tl_table *tl_table_find(struct task_struct *task)
{
	return rhashtable_lookup(&tl_tables, &task, tl_table_params);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_find);

/**
 * tl_table_current() - the current task's table, or NULL
 *
 * Call under rcu_read_lock().
 *
 * Return: the table, or NULL.
 */
struct tl_table *tl_table_current(void)
{
	struct tl_table *t = this_cpu_read(tl_cpu_table);

	if (likely(t && t->task == current))
		return t;
	t = tl_table_find(current);
	if (t)
		this_cpu_write(tl_cpu_table, t);
	return t;
}

/* Forget @t in every CPU's slot: it is about to be freed. */
static void tl_table_uncache(struct tl_table *t)
{
	int cpu;

	for_each_possible_cpu(cpu)
		cmpxchg(per_cpu_ptr(&tl_cpu_table, cpu), t, NULL);
}

/**
 * tl_table_create() - a new, empty table for a task, in the registry
 * @task: the task: the current one, or a child not yet running
 * @len: slots, a power of two >= TLMAP_INITIAL_LEN
 * @gfp: allocation flags
 *
 * Return: the table, or an ERR_PTR().
 */
struct tl_table *tl_table_create(struct task_struct *task, unsigned int len,
				 gfp_t gfp)
{
	struct tlmap_slots *slots;
	struct tl_table *t;
	int err;

	t = kzalloc(sizeof(*t), gfp);
	if (!t)
		return ERR_PTR(-ENOMEM);
	slots = tlmap_slots_alloc(len, gfp);
	if (!slots) {
		err = -ENOMEM;
		goto free_table;
	}
	tlmap_init(&t->map, slots);
	seqcount_spinlock_init(&t->seq, &t->map.lock);
	t->task = task;
	t->pid = task_pid_nr(task);
	return t;

free_table:
	kfree(t);
	return ERR_PTR(err);
}

/* Make a new table visible; on failure it is freed. */
static int tl_table_publish(struct tl_table *t)
{
	int err = rhashtable_insert_fast(&tl_tables, &t->node,
					 tl_table_params);

	if (err) {
		tl_table_release(t);
		return err;
	}
	atomic_long_inc(&tl_stats.tables);
	atomic_long_inc(&tl_stats.tables_created);
	return 0;
}

/**
 * tl_table_current_create() - the current task's table, created if need be
 * @gfp: allocation flags
 *
 * Only the current task creates, and (at exit) frees, its own table, so
 * the result stays valid for it without RCU.
 *
 * Return: the table, ERR_PTR(-ESRCH) once the task is exiting (its exit
 * hook may have run), or ERR_PTR(-ENOMEM).
 */
struct tl_table *tl_table_current_create(gfp_t gfp)
{
	struct tl_table *t;
	int err;

	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	if (t)
		return t;
	if (current->flags & PF_EXITING)
		return ERR_PTR(-ESRCH);
	t = tl_table_create(current, TLMAP_INITIAL_LEN, gfp);
	if (IS_ERR(t))
		return t;
	err = tl_table_publish(t);
	return err ? ERR_PTR(err) : t;
}

static bool tl_entry_inherited(const struct tlmap_entry *e)
{
	struct tl_ukey *uk = tl_ukey_of(tl_key_of(e->key));

	return uk && (uk->flags & TASKLOCAL_KEY_INHERIT) &&
	       !tlmap_entry_stale(e);
}

/*
 * Copy the parent's inheritable entries into the child's new map, as
 * Java's ThreadLocalMap(parentMap) constructor does: same length, parent
 * slot order, each entry at the first free slot from its home. The child
 * shares the values (they are immutable).
 */
static void tl_table_inherit(struct tl_table *pt, struct tl_table *ct)
{
	struct tlmap_slots *s;
	struct tlmap_entry *e, *copy;
	unsigned int i;

	tl_table_lock(pt);
	spin_lock_nested(&ct->map.lock, SINGLE_DEPTH_NESTING);
	s = rcu_dereference_protected(pt->map.slots,
				      lockdep_is_held(&pt->map.lock));
	for (i = 0; i < s->len; i++) {
		e = rcu_dereference_protected(s->slot[i],
					      lockdep_is_held(&pt->map.lock));
		if (!e || !tl_entry_inherited(e))
			continue;
		copy = tl_entry_alloc(tl_key_of(e->key), e->value,
				      GFP_ATOMIC | __GFP_NOWARN |
				      __GFP_ACCOUNT);
		if (!copy) {
			pr_warn_ratelimited("pid %d: out of memory inheriting values\n",
					    ct->pid);
			break;
		}
		refcount_inc(&((struct tl_value *)e->value)->ref);
		if (tlmap_insert_fresh(&ct->map, copy)) {
			tlmap_entry_release(&ct->map, copy);
			break;
		}
	}
	spin_unlock(&ct->map.lock);
	tl_table_unlock(pt);
}

/**
 * tl_table_task_fork() - give a new child its parent's inheritable values
 * @parent: the forking task (current)
 * @child: the child, not yet running
 *
 * Called from the sched_process_fork tracepoint, preemption disabled, so
 * allocations are atomic; if they fail the child inherits less (logged).
 */
void tl_table_task_fork(struct task_struct *parent, struct task_struct *child)
{
	struct tl_table *pt, *ct;
	unsigned int len;

	rcu_read_lock();
	pt = tl_table_find(parent);
	if (!pt)
		goto out;
	/* only the parent itself grows its table: len is stable here */
	len = rcu_dereference(pt->map.slots)->len;
	ct = tl_table_create(child, len,
			     GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	if (IS_ERR(ct)) {
		pr_warn_ratelimited("pid %d: out of memory inheriting values\n",
				    task_pid_nr(child));
		goto out;
	}
	tl_table_inherit(pt, ct);
	if (ct->map.size)
		tl_table_publish(ct);
	else
		tl_table_release(ct);
out:
	rcu_read_unlock();
}

/*
 * tl_table_release() - destroy every value in a table and free it after
 * a grace period. The table is already out of the registry (or was never
 * in it). Any context.
 */
void tl_table_release(struct tl_table *t)
{
	struct tlmap_slots *slots;

	tl_table_uncache(t);
	tl_table_lock(t);
	t->dead = true;
	tlmap_clear(&t->map);
	slots = rcu_dereference_protected(t->map.slots,
					  lockdep_is_held(&t->map.lock));
	tl_table_unlock(t);
	tlmap_slots_retire(slots);
	kfree_rcu(t, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_release);

/**
 * tl_table_task_exit() - free an exiting task's table
 * @task: the task, past PF_EXITING: no table is created for it again
 *
 * Called from the sched_process_exit tracepoint, preemption disabled.
 */
void tl_table_task_exit(struct task_struct *task)
{
	struct tl_table *t;

	rcu_read_lock();
	t = tl_table_find(task);
	if (t && !rhashtable_remove_fast(&tl_tables, &t->node,
					 tl_table_params)) {
		tl_stats_table_freed(t);
		tl_table_release(t);
	}
	rcu_read_unlock();
}

static int tl_table_remove_key(struct tl_table *t, void *key)
{
	tl_table_lock(t);
	if (!t->dead)
		tlmap_remove(&t->map, &((struct tasklocal_key *)key)->mk);
	tl_table_unlock(t);
	return 0;
}

/**
 * tl_tables_remove_key() - remove a dead key's entries from every table
 * @key: the key, already dead so that no entry for it is added meanwhile
 *
 * Tables being freed by a concurrent exit hook are skipped, and waited
 * for: on return no value of @key is left anywhere. Sleeps.
 */
void tl_tables_remove_key(struct tasklocal_key *key)
{
	tl_tables_walk(tl_table_remove_key, key);
	/* Exit hooks run with preemption disabled: wait for those that
	 * took a table out of the registry before the walk could see it.
	 */
	synchronize_rcu();
}

/**
 * tl_tables_walk() - call @fn for every table, under RCU
 * @fn: must not sleep; a non-zero return stops the walk
 * @arg: its argument
 *
 * A table may be seen twice if the registry is resized meanwhile.
 *
 * Return: what @fn returned last.
 */
int tl_tables_walk(int (*fn)(struct tl_table *t, void *arg), void *arg)
{
	struct rhashtable_iter iter;
	struct tl_table *t;
	int ret = 0;

	rhashtable_walk_enter(&tl_tables, &iter);
	rhashtable_walk_start(&iter);
	while ((t = rhashtable_walk_next(&iter))) {
		if (IS_ERR(t)) {
			if (PTR_ERR(t) == -EAGAIN)
				continue;
			break;
		}
		ret = fn(t, arg);
		if (ret)
			break;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return ret;
}

int tl_tables_init(void)
{
	return rhashtable_init(&tl_tables, &tl_table_params);
}

static void tl_table_free_at_exit(void *ptr, void *arg)
{
	tl_stats_table_freed(ptr);
	tl_table_release(ptr);
}

/* Module unload: no hook and no user is left; free every table. */
void tl_tables_exit(void)
{
	rhashtable_free_and_destroy(&tl_tables, tl_table_free_at_exit, NULL);
}
