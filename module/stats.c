// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module-wide statistics: counters kept as things happen, plus what is
 * summed over the live tables when asked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/xarray.h>

#include "internal.h"

struct tl_stats tl_stats;
EXPORT_SYMBOL_IF_KUNIT(tl_stats);

/* A table leaves the registry: keep its counters in the totals. */
void tl_stats_table_freed(struct tl_table *t)
{
	atomic_long_dec(&tl_stats.tables);
	atomic_long_inc(&tl_stats.tables_unlinked);
	atomic64_add(READ_ONCE(t->map.stats.expunged), &tl_stats.expunged);
	atomic64_add(READ_ONCE(t->map.stats.resizes), &tl_stats.resizes);
}

/* Counts stale entries; tables are read under RCU, without their lock. */
static int tl_stats_add_table(struct tl_table *t, void *arg)
{
	struct tasklocal_stats *st = arg;
	struct tlmap_slots *s = rcu_dereference(t->map.slots);
	struct tlmap_entry *e;
	unsigned int i;

	if (READ_ONCE(t->dead))
		return 0;
	st->expunged += READ_ONCE(t->map.stats.expunged);
	st->resizes += READ_ONCE(t->map.stats.resizes);
	for (i = 0; i < s->len; i++) {
		e = rcu_dereference(s->slot[i]);
		if (e && tlmap_entry_stale(e))
			st->stale++;
	}
	return 0;
}

int tl_stats_read(struct tasklocal_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->tables = atomic_long_read(&tl_stats.tables);
	st->entries = atomic_long_read(&tl_stats.entries);
	st->value_bytes = atomic_long_read(&tl_stats.value_bytes);
	st->tables_created = atomic_long_read(&tl_stats.tables_created);
	st->tables_freed = st->tables_created - st->tables;
	tl_keys_count(&st->keys, &st->dead_keys);
	tl_tables_walk(tl_stats_add_table, st, true);
	st->expunged += atomic64_read(&tl_stats.expunged);
	st->resizes += atomic64_read(&tl_stats.resizes);
	st->swept = atomic64_read(&tl_stats.swept);
	st->inherit_failed = atomic64_read(&tl_stats.inherit_failed);
	return 0;
}
