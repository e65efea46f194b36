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
 * removal (key destroy, KEY_DELETE). The walk leaves RCU every
 * TL_WALK_BATCH tables; if tables left the registry meanwhile, the walk
 * may have missed one, and is made again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "internal.h"

/* Walks a sweep may take: the second finds what the first missed. */
#define TL_SWEEP_WALKS	2

static void tl_sweep_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(tl_sweep_work, tl_sweep_fn);

static bool tl_entry_stale(const struct tlmap_entry *e, void *arg)
{
	return tlmap_entry_stale(e);
}

static int tl_sweep_table(struct tl_table *t, void *arg)
{
	unsigned int n = 0;

	tl_table_lock(t);
	if (!t->dead)	/* released meanwhile: its values go with it */
		n = tlmap_remove_if(&t->map, tl_entry_stale, NULL);
	tl_table_unlock(t);
	if (n)
		atomic64_add(n, &tl_stats.swept);
	return 0;
}

/* Tables that have left the registry since load. */
static long tl_tables_gone(void)
{
	return atomic_long_read(&tl_stats.tables_created) -
	       atomic_long_read(&tl_stats.tables);
}

static void tl_sweep_fn(struct work_struct *work)
{
	unsigned int walk;
	long gone;

	/*
	 * A set that saw a key alive holds rcu_read_lock() until its entry
	 * is in a table (tl_set()): after a grace period every entry of a
	 * key that died before the sweep was queued is in place, stale.
	 */
	synchronize_rcu();
	for (walk = 0; walk < TL_SWEEP_WALKS; walk++) {
		gone = tl_tables_gone();
		tl_tables_walk(tl_sweep_table, NULL, true);
		if (tl_tables_gone() == gone)
			break;
	}
}

static int tl_sweep_key_died(struct notifier_block *nb, unsigned long event,
			     void *key)
{
	unsigned int delay = READ_ONCE(tl_sweep_delay_ms);

	if (!delay)
		return NOTIFY_DONE;
	/* pending already: this death shares the sweep under way */
	queue_delayed_work(system_unbound_wq, &tl_sweep_work,
			   msecs_to_jiffies(delay));
	return NOTIFY_OK;
}

static struct notifier_block tl_sweep_nb = {
	.notifier_call = tl_sweep_key_died,
};

/**
 * tl_sweep_flush() - make the sweep pending now, and wait for it
 *
 * On return no entry of a key whose death queued a sweep before the call
 * is left in any table. Process context; sleeps.
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
