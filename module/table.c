// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of tables: task -> table, an RCU hash table.
 *
 * A table is created by its own task (on its first set, with that entry
 * already in it) or by the fork hook for a child, and is taken out of the
 * registry by the task-exit hook or at module unload. Who writes a table,
 * always under its lock (tl_table_lock()):
 *  - its own task: set, get that expunges or stores an initial value,
 *    remove, clear;
 *  - the fork hook, filling a child's table before the child runs;
 *  - any task destroying a kernel key (tl_tables_remove_key()), which
 *    removes that key's entries and rehashes their runs;
 *  - the sweeper (sweep.c), expunging the stale entries of every table;
 *  - any task clearing another's table from userspace (reclaim.c: the
 *    rights ptrace would need), which removes live values too;
 *  - the secure-exec task work (exec.c), in the task itself;
 *  - the release worker, emptying the table of a task that has exited.
 * Readers of other tasks' tables (inspection, statistics) read under RCU
 * and retry on the map's seqcount for a consistent snapshot; the owner's
 * lock-free get is made safe against the other writers by tlmap_lookup().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

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

/*
 * Tables of exited tasks, waiting for tl_release_work: the exit hook runs
 * with preemption disabled, where destroy() ops may not run, so it only
 * unlinks the table. On PREEMPT_RT it may not even do that: before 6.9 an
 * rhashtable removal takes bucket locks with local_bh_disable(), which
 * warns there when a preempted task holds the CPU's softirq lock. There
 * the table is marked exited instead (lookups and walks pass it by), its
 * task pinned so that no new task can take its key, and the worker
 * unlinks it.
 */
static LLIST_HEAD(tl_released);
static void tl_tables_release_fn(struct work_struct *work);
static DECLARE_WORK(tl_release_work, tl_tables_release_fn);

/* Lock a table for writing: its map's lock, and its seqcount for readers. */
void tl_table_lock(struct tl_table *t)
	__acquires(&t->map.lock)
{
	tlmap_lock(&t->map);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_lock);

void tl_table_unlock(struct tl_table *t)
	__releases(&t->map.lock)
{
	tlmap_unlock(&t->map);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_unlock);

/**
 * tl_table_find() - the table of a task, or NULL
 * @task: the task
 *
 * Call under rcu_read_lock(); the table stays valid until it is dropped.
 * The table of a task past the exit hook is not found.
 *
 * Return: the table, or NULL.
 */
struct tl_table *tl_table_find(struct task_struct *task)
{
	struct tl_table *t = rhashtable_lookup(&tl_tables, &task,
					       tl_table_params);

	return t && !READ_ONCE(t->exited) ? t : NULL;
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
	err = -ENOMEM;
	t->exec_work = kmalloc(sizeof(*t->exec_work), gfp);
	if (!t->exec_work)
		goto free_table;
	slots = tlmap_slots_alloc(len, gfp);
	if (!slots)
		goto free_table;
	tlmap_init(&t->map, slots);
	t->task = task;
	t->pid = task_pid_nr(task);
	return t;

free_table:
	kfree(t->exec_work);
	kfree(t);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_create);

/**
 * tl_table_publish() - make a new table visible in the registry
 * @t: from tl_table_create(), filled or not; still the caller's if this
 *	fails
 *
 * Return: 0 or a negative errno.
 */
int tl_table_publish(struct tl_table *t)
{
	int err = rhashtable_insert_fast(&tl_tables, &t->node,
					 tl_table_params);

	if (err)
		return err;
	atomic_long_inc(&tl_stats.tables);
	atomic_long_inc(&tl_stats.tables_created);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_publish);

/*
 * tl_table_release() - destroy every value in a table and free it after
 * a grace period. The table is already out of the registry (or was never
 * in it). Any context but the exit and fork hooks' on PREEMPT_RT (the
 * table's lock), and destroy() ops run here: process context for tables
 * that were in the registry (tl_tables_release_fn(), unload).
 */
void tl_table_release(struct tl_table *t)
{
	struct tlmap_slots *slots;
	struct tl_fork_kit *kit;

	tl_table_uncache(t);
	tl_table_lock(t);
	WRITE_ONCE(t->dead, true);
	tlmap_clear(&t->map);
	slots = rcu_dereference_protected(t->map.slots,
					  lockdep_is_held(&t->map.lock));
	kit = t->kit;
	t->kit = NULL;
	tl_table_unlock(t);
	tlmap_slots_retire(slots);
	if (kit)
		tl_fork_kit_free(kit);
	kfree(t->exec_work);	/* NULL while a secure exec's work has it */
	kfree_rcu(t, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_release);

/* A userspace key's entry; @arg: that key's only, if not NULL. */
static bool tl_entry_is_user(const struct tlmap_entry *e, void *arg)
{
	return tl_key_of(e->key)->user && (!arg || e->key == arg);
}

/**
 * tl_table_clear_user() - remove userspace keys' entries from a table
 * @t: the table, not locked; any task's, found under RCU
 * @key: remove only this key's entry (live or dead), or NULL: all
 *
 * Kernel keys' values stay (stale entries met on the way are expunged).
 * A table released meanwhile (its task exited) is left to the release.
 * Process context: destroy() ops run.
 *
 * Return: the entries removed, stale ones included.
 */
unsigned int tl_table_clear_user(struct tl_table *t, struct tasklocal_key *key)
{
	unsigned int n = 0;

	tl_table_lock(t);
	if (!t->dead)
		n = tlmap_remove_if(&t->map, tl_entry_is_user,
				    key ? &key->mk : NULL);
	tl_table_unlock(t);
	return n;
}

static void tl_tables_release_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&tl_released);
	struct tl_table *t, *next;

	llist_for_each_entry_safe(t, next, list, free_node) {
		struct task_struct *exited = t->exited ? t->task : NULL;

		if (exited)
			rhashtable_remove_fast(&tl_tables, &t->node,
					       tl_table_params);
		tl_table_release(t);
		if (exited)
			put_task_struct(exited);
		cond_resched();
	}
}

/**
 * tl_tables_flush() - wait until the tables of exited tasks are released
 *
 * On return every value the exit hook has unlinked so far is destroyed.
 * Process context; sleeps.
 */
void tl_tables_flush(void)
{
	/* exit hooks that unlinked a table have queued the work */
	synchronize_rcu();
	flush_work(&tl_release_work);
}
EXPORT_SYMBOL_IF_KUNIT(tl_tables_flush);

/**
 * tl_table_task_exit() - unlink an exiting task's table
 * @task: the task, past PF_EXITING: no table is created for it again
 *
 * Called from the sched_process_exit tracepoint, preemption disabled: the
 * table leaves the registry (on PREEMPT_RT: is marked exited, and left
 * to the worker to unlink) and every CPU's cache here, in O(1) of its
 * size, and is emptied and freed by tl_release_work in process context.
 */
void tl_table_task_exit(struct task_struct *task)
{
	struct tl_table *t;

	rcu_read_lock();
	t = tl_table_find(task);
	if (!t)
		goto out;
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		get_task_struct(task);	/* its key stays its own */
		WRITE_ONCE(t->exited, true);
	} else if (rhashtable_remove_fast(&tl_tables, &t->node,
					  tl_table_params)) {
		goto out;
	}
	/* before the task_struct can be reused for another task */
	tl_table_uncache(t);
	tl_stats_table_freed(t);
	llist_add(&t->free_node, &tl_released);
	queue_work(system_unbound_wq, &tl_release_work);
out:
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_task_exit);

static int tl_table_remove_key(struct tl_table *t, void *key)
{
	tl_table_lock(t);
	/* released meanwhile: tl_tables_flush() waits for its destroy()s */
	if (!t->dead)
		tlmap_remove(&t->map, &((struct tasklocal_key *)key)->mk);
	tl_table_unlock(t);
	return 0;
}

/**
 * tl_tables_remove_key() - remove a dead key's entries from every table
 * @key: the key, already dead
 *
 * A set that saw @key alive holds rcu_read_lock() until its entry is in
 * a table of the registry (tl_set()), so after a grace period no entry
 * for @key can be added anywhere, and one walk finds them all. Tables
 * the exit hook unlinked meanwhile are waited for: on return no value of
 * @key is left anywhere. Process context; sleeps.
 */
void tl_tables_remove_key(struct tasklocal_key *key)
{
	synchronize_rcu();
	tl_tables_walk(tl_table_remove_key, key, false);
	tl_tables_flush();
}

/* Yield every this many tables, or sooner when asked to. */
#define TL_WALK_BATCH	64

/**
 * tl_tables_walk() - call @fn for every table, under RCU
 * @fn: must not sleep; a non-zero return stops the walk
 * @arg: its argument
 * @may_yield: leave RCU and reschedule every TL_WALK_BATCH tables (or
 *	when need_resched()): any user can start a walk, which must not
 *	keep a CPU from rescheduling for long. A table may then be seen
 *	twice, or missed if tables leave the registry meanwhile, which
 *	statistics and listings can afford; removing a key cannot.
 *
 * A table may be seen twice if the registry is resized meanwhile.
 *
 * Return: what @fn returned last.
 */
int tl_tables_walk(int (*fn)(struct tl_table *t, void *arg), void *arg,
		   bool may_yield)
{
	struct rhashtable_iter iter;
	unsigned int batch = 0;
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
		if (READ_ONCE(t->exited))
			continue;	/* tl_release_work's now */
		ret = fn(t, arg);
		if (ret)
			break;
		if (may_yield && (++batch >= TL_WALK_BATCH || need_resched())) {
			batch = 0;
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(tl_tables_walk);

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
	flush_work(&tl_release_work);
	rhashtable_free_and_destroy(&tl_tables, tl_table_free_at_exit, NULL);
}
