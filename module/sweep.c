// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sweeper: a dead key's entries leave every table soon after the key
 * dies, whether or not the tasks holding them ever run again.
 *
 * OpenJDK expunges a dead ThreadLocal's entry only when its thread next
 * uses its map, so an idle pooled thread pins the value for good; so did
 * this module, but for tasklocal_key_destroy(). Here every death (the last
 * strong reference put, a KEY_DELETE, an fd-owned key's fd closed) is
 * announced by key.c, and sweep_delay_ms later a worker walks every table
 * and expunges its stale entries, destroying their values. Deaths within
 * the delay share one walk. sweep_delay_ms=0 turns the sweeper off: stale
 * entries then wait for their task, as in OpenJDK (a later sweep takes
 * them too: a walk expunges every stale entry it meets).
 *
 * Concurrency: a death may be announced in any task context, atomic
 * included, and only queues the work. The worker locks one table at a
 * time, for that table's expunge alone: the owner's lock-free get and
 * other tasks' snapshots retry on its seqcount, as for any cross-task
 * removal (key destroy, KEY_DELETE); a table without stale entries is
 * not locked at all. The walk leaves RCU every TL_WALK_BATCH tables; if
 * tables left the registry meanwhile, the walk may have missed one, and
 * another sweep is queued.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "internal.h"

static void tl_sweep_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(tl_sweep_work, tl_sweep_fn);

/*
 * Does @t hold a stale entry? Read under RCU without the lock: an entry
 * that turns stale after the look belongs to a key whose death queued a
 * sweep of its own, after this one.
 */
static bool tl_table_has_stale(struct tl_table *t)
{
	struct tlmap_slots *s = rcu_dereference(t->map.slots);
	struct tlmap_entry *e;
	unsigned int i;

	for (i = 0; i < s->len; i++) {
		e = rcu_dereference(s->slot[i]);
		if (e && tlmap_entry_stale(e))
			return true;
	}
	return false;
}

/* Expunge @t's stale entries: one pass, since none of them ever moves. */
static int tl_sweep_table(struct tl_table *t, void *arg)
{
	unsigned int size;

	if (READ_ONCE(t->dead) || !tl_table_has_stale(t))
		return 0;
	tl_table_lock(t);
	size = t->map.size;
	if (!t->dead)	/* released meanwhile: its values go with it */
		tlmap_expunge_all(&t->map);
	size -= t->map.size;
	tl_table_unlock(t);
	if (size)
		atomic64_add(size, &tl_stats.swept);
	return 0;
}

/* The sweep running is a second look, queued by the one before it. */
static bool tl_sweep_second;

static void tl_sweep_fn(struct work_struct *work)
{
	long unlinked = atomic_long_read(&tl_stats.tables_unlinked);
	bool second = tl_sweep_second;

	tl_sweep_second = false;
	if (second && !READ_ONCE(tl_sweep_delay_ms))
		return;		/* turned off since */
	/*
	 * A set that saw a key alive holds rcu_read_lock() until its entry
	 * is in a table (tl_set()): after a grace period every entry of a
	 * key that died before the sweep was queued is in a table, stale.
	 * (On PREEMPT_RT a child's inherited table is published later, by
	 * the child: a stale entry there waits for the next sweep, or its
	 * task.)
	 */
	synchronize_rcu();
	tl_tables_walk(tl_sweep_table, NULL, true);
	/*
	 * The walk left RCU between batches: if a table left the registry
	 * meanwhile, it may have skipped one. Look once more (not forever:
	 * tasks exit all the time on a busy machine).
	 */
	tl_sweep_second = !second &&
		atomic_long_read(&tl_stats.tables_unlinked) != unlinked;
	if (tl_sweep_second)
		queue_delayed_work(system_unbound_wq, &tl_sweep_work,
				   msecs_to_jiffies(READ_ONCE(tl_sweep_delay_ms) ?: 1));
}

static int tl_sweep_key_died(struct notifier_block *nb, unsigned long event,
			     void *key)
{
	unsigned int delay = READ_ONCE(tl_sweep_delay_ms);

	if (!delay)
		return NOTIFY_DONE;
	/* a sweep pending already takes this death too; a running one not */
	queue_delayed_work(system_unbound_wq, &tl_sweep_work,
			   msecs_to_jiffies(delay));
	return NOTIFY_OK;
}

static struct notifier_block tl_sweep_nb = {
	.notifier_call = tl_sweep_key_died,
};

/**
 * tl_sweep_flush() - run the pending sweep now, and wait for it
 *
 * On return the sweep queued before the call has walked every table
 * (tables that left the registry meanwhile aside). Process context;
 * sleeps.
 */
void tl_sweep_flush(void)
{
	flush_delayed_work(&tl_sweep_work);
}
EXPORT_SYMBOL_IF_KUNIT(tl_sweep_flush);

void tl_sweep_init(void)
{
	tl_key_death_register(&tl_sweep_nb);
}

/* Module unload: every table is freed next, stale entries included. */
void tl_sweep_exit(void)
{
	tl_key_death_unregister(&tl_sweep_nb);
	cancel_delayed_work_sync(&tl_sweep_work);
}
