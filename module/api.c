// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel API: get, set and remove on the current task's table.
 *
 * Task context only (not from interrupts): "current" must be a task
 * that owns its table. The owner's get is lock-free under RCU unless it
 * meets a stale entry, which only the locked path may expunge.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "internal.h"

static void *tl_set_initial(struct tasklocal_key *key)
{
	void *value = key->ops->initial(key);
	int err;

	if (IS_ERR(value))
		return value;
	err = tasklocal_set(key, value, GFP_KERNEL);
	if (err) {
		if (value && key->ops->destroy)
			key->ops->destroy(key, value);
		return ERR_PTR(err);
	}
	return value;
}

/**
 * tl_get_current() - the current task's value for a key, if it has one
 * @key: the key
 * @found: set to whether it has one
 *
 * Lock-free under RCU unless a stale entry is in the way (only the
 * locked getEntry() may expunge it) or another task's removal changed
 * the table while it looked and found nothing (tlmap_lookup()). Any task
 * context; the caller may hold rcu_read_lock() to keep the value from
 * being freed meanwhile.
 *
 * Return: the value.
 */
void *tl_get_current(struct tasklocal_key *key, bool *found)
{
	struct tlmap_entry *e = NULL;
	struct tl_table *t;
	void *value = NULL;

	rcu_read_lock();
	t = tl_table_current();
	if (t) {
		e = tlmap_lookup(&t->map, &key->mk);
		if (IS_ERR(e)) {	/* met a stale entry: expunge */
			tl_table_lock(t);
			e = tlmap_get_entry(&t->map, &key->mk);
			tl_table_unlock(t);
		}
		if (e)
			value = e->value;
	}
	rcu_read_unlock();
	*found = e;
	return value;
}

/**
 * tasklocal_get() - the current task's value for a key
 * @key: a live key
 *
 * If the task has no value and the key has an initial() op, its result is
 * stored and returned (Java's setInitialValue()). Without initial(), any
 * task context, atomic included; with it, process context (may sleep).
 *
 * Return: the value (NULL if none), or an ERR_PTR() from initial() or
 * from storing its value.
 */
void *tasklocal_get(struct tasklocal_key *key)
{
	bool found;
	void *value;

	if (WARN_ON_ONCE(!in_task()))
		return ERR_PTR(-EINVAL);
	value = tl_get_current(key, &found);
	if (found || !key->ops || !key->ops->initial)
		return value;
	might_sleep();
	return tl_set_initial(key);
}
EXPORT_SYMBOL_GPL(tasklocal_get);

/* Under the table's lock: may this set go ahead, given @flags? */
static int tl_set_allowed(struct tl_table *t, struct tasklocal_key *key,
			  u32 flags)
{
	struct tlmap_entry *old;

	/* a set that saw the key dead here, after a delete, adds nothing */
	if (tlmap_key_dead(&key->mk))
		return -ENOENT;
	if (!flags)
		return 0;
	old = tlmap_peek(&t->map, &key->mk);
	if (old && (flags & TASKLOCAL_SET_CREATE))
		return -EEXIST;
	if (!old && (flags & TASKLOCAL_SET_REPLACE))
		return -ENOENT;
	if (!old && (flags & TL_SET_LIMITED) &&
	    t->map.size >= READ_ONCE(tl_max_entries)) {
		/* stale entries do not count against the limit */
		tlmap_expunge_all(&t->map);
		if (t->map.size >= READ_ONCE(tl_max_entries))
			return -ENOSPC;
	}
	return 0;
}

/*
 * Under RCU, @t locked: the set itself. Holding rcu_read_lock() from the
 * check that @key is alive until the entry is in a table of the registry
 * is what lets tl_tables_remove_key() find every entry of a dead key.
 */
static int tl_set_locked(struct tl_table *t, struct tlmap_entry *e,
			 struct tlmap_slots **spare, u32 flags)
{
	struct tasklocal_key *key = tl_key_of(e->key);
	int err = tl_set_allowed(t, key, flags);

	if (!err)
		err = tlmap_set(&t->map, e, spare);
	if (!err && key->inherit)
		WRITE_ONCE(t->inherit, true);
	return err;
}

/*
 * The first set of a task with no table: the table is made with the
 * entry already in it, then published, so that a set that fails leaves
 * no table behind. Takes @e: frees it if this fails.
 */
static int tl_set_first(struct tlmap_entry *e, gfp_t gfp, u32 flags)
{
	struct tl_table *t;
	int err;

	if (flags & TASKLOCAL_SET_REPLACE) {
		err = -ENOENT;
		goto free_entry;
	}
	if (current->flags & PF_EXITING) {
		err = -ESRCH;	/* its exit hook may have run */
		goto free_entry;
	}
	t = tl_table_create(current, TLMAP_INITIAL_LEN, gfp);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto free_entry;
	}
	rcu_read_lock();
	tl_table_lock(t);
	err = tl_set_locked(t, e, NULL, flags);
	tl_table_unlock(t);
	/* out of its lock: the registry may allocate (atomically) */
	if (!err) {
		err = tl_table_publish(t);
		if (err) {
			/* the value is the caller's again; the entry goes with t */
			tl_table_lock(t);
			WRITE_ONCE(e->value, NULL);
			tl_table_unlock(t);
			e = NULL;
		}
	}
	rcu_read_unlock();
	if (!err) {
		tl_fork_prepare(t, gfp);
		return 0;
	}
	tl_table_release(t);
	if (!e)
		return err;
free_entry:
	tl_entry_free_unused(e);
	return err;
}

/**
 * tl_set() - set the current task's value for a key
 * @key: the key
 * @value: the value; the table owns it unless this fails
 * @gfp: allocation flags
 * @flags: TASKLOCAL_SET_CREATE, TASKLOCAL_SET_REPLACE, TL_SET_LIMITED
 *
 * Return: 0 or a negative errno, with the table unchanged (and none
 * created).
 */
int tl_set(struct tasklocal_key *key, void *value, gfp_t gfp, u32 flags)
{
	struct tlmap_slots *spare = NULL;
	struct tlmap_entry *e;
	unsigned int grow_len;
	struct tl_table *t;
	int err;

	if (tlmap_key_dead(&key->mk))
		return -ENOENT;
	if ((flags & TL_SET_LIMITED) && !READ_ONCE(tl_max_entries) &&
	    !(flags & TASKLOCAL_SET_REPLACE))
		return -ENOSPC;
	e = tl_entry_alloc(key, value, gfp);
	if (!e)
		return -ENOMEM;

	rcu_read_lock();
	t = tl_table_current();
	/* The map cannot allocate under its lock: if this insertion may
	 * grow it, bring the larger slot array along.
	 */
	grow_len = t ? tlmap_grow_len(rcu_dereference(t->map.slots),
				      READ_ONCE(t->map.size)) : 0;
	rcu_read_unlock();
	if (!t)
		return tl_set_first(e, gfp, flags);
	if (grow_len) {
		spare = tlmap_slots_alloc(grow_len, gfp);
		if (!spare) {
			err = -ENOMEM;
			goto out;
		}
	}

	/* only this task frees its table: t stays valid outside RCU */
	rcu_read_lock();
	tl_table_lock(t);
	err = tl_set_locked(t, e, &spare, flags);
	tl_table_unlock(t);
	rcu_read_unlock();
	if (spare)
		tlmap_slots_free(spare);
	if (!err && key->inherit)
		tl_fork_prepare(t, gfp);
out:
	if (err)
		tl_entry_free_unused(e);
	return err;
}

/**
 * tasklocal_set() - set the current task's value for a key
 * @key: a live key
 * @value: the value; the table owns it from now on (see
 *	&tasklocal_key_ops.destroy), unless this fails
 * @gfp: allocation flags for the entry and, when it grows, the table
 *
 * A previous value is destroyed, unless it is @value itself. Task context;
 * may sleep if @gfp allows.
 *
 * Return: 0, -ENOENT if @key is dead, -ESRCH if the task is exiting,
 * -ENOMEM, or -ENOSPC if the table cannot grow.
 */
int tasklocal_set(struct tasklocal_key *key, void *value, gfp_t gfp)
{
	if (WARN_ON_ONCE(!in_task()))
		return -EINVAL;
	return tl_set(key, value, gfp, 0);
}
EXPORT_SYMBOL_GPL(tasklocal_set);

/**
 * tasklocal_remove() - remove the current task's value for a key
 * @key: the key
 *
 * The value is destroyed. Any task context.
 *
 * Return: true if there was a value.
 */
bool tasklocal_remove(struct tasklocal_key *key)
{
	struct tl_table *t;
	bool removed;

	if (WARN_ON_ONCE(!in_task()))
		return false;
	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	if (!t)
		return false;
	tl_table_lock(t);
	removed = tlmap_remove(&t->map, &key->mk);
	tl_table_unlock(t);
	return removed;
}
EXPORT_SYMBOL_GPL(tasklocal_remove);

/**
 * tasklocal_key_destroy() - kill a key and remove its entries everywhere
 * @key: the key; the caller's strong reference is consumed
 *
 * Every task's entry for @key is removed and its value destroyed before
 * this returns, so the module that owns @key's ops may unload afterwards.
 * Nobody may use @key concurrently or afterwards. Process context; sleeps
 * (waits for an RCU grace period at least).
 */
void tasklocal_key_destroy(struct tasklocal_key *key)
{
	might_sleep();
	/* removed here, not swept: no sweep is queued for it */
	set_bit(TL_KEY_DEATH_ANNOUNCED, &key->state);
	tl_key_kill(key);
	/*
	 * Each entry holds a weak reference until its destroy() returned,
	 * and the key one more while alive: wait for that one alone. Other
	 * tasks may be destroying entries they removed just before the walk
	 * (the sweeper, a CLEAR by pid, an expunge), and on PREEMPT_RT a
	 * child's inherited table is published by the child, after the
	 * fork, where no walk sees it until then: walk again until then.
	 */
	for (;;) {
		tl_tables_remove_key(key);
		if (kref_read(&key->weak) == 1)
			break;
		schedule_timeout_uninterruptible(1);
	}
	tasklocal_key_put(key);
}
EXPORT_SYMBOL_GPL(tasklocal_key_destroy);
