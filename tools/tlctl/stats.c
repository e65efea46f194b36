// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl stats: the module's counters.
 */
#include <unistd.h>

#include "tlctl.h"

static void print_stats(const struct tasklocal_stats *st)
{
	printf("tables       %llu (created %llu, freed %llu since load)\n",
	       (unsigned long long)st->tables,
	       (unsigned long long)st->tables_created,
	       (unsigned long long)st->tables_freed);
	printf("entries      %llu (stale %llu)\n",
	       (unsigned long long)st->entries, (unsigned long long)st->stale);
	/* not the sum of table list's: a shared value counts once here */
	printf("value bytes  %llu (userspace values in memory, keys' initial values too)\n",
	       (unsigned long long)st->value_bytes);
	printf("keys         %llu (dead with entries left %llu)\n",
	       (unsigned long long)st->keys, (unsigned long long)st->dead_keys);
	printf("expunged     %llu\n", (unsigned long long)st->expunged);
	printf("resizes      %llu\n", (unsigned long long)st->resizes);
	printf("swept        %llu\n", (unsigned long long)st->swept);
	printf("uninherited  %llu (values child() gave no child)\n",
	       (unsigned long long)st->inherit_failed);
}

static void json_stats(const struct tasklocal_stats *st)
{
	json_open("stats");
	json_u64("tables", st->tables);
	json_u64("entries", st->entries);
	json_u64("stale", st->stale);
	json_u64("value_bytes", st->value_bytes);
	json_u64("keys", st->keys);
	json_u64("dead_keys", st->dead_keys);
	json_u64("tables_created", st->tables_created);
	json_u64("tables_freed", st->tables_freed);
	json_u64("expunged", st->expunged);
	json_u64("resizes", st->resizes);
	json_u64("swept", st->swept);
	json_u64("inherit_failed", st->inherit_failed);
	json_close();
}

int do_stats(int argc, char **argv)
{
	struct tasklocal_stats st;
	int fd, err;

	if (is_help(argc, argv)) {
		printf("Usage: %s stats\n"
		       "\n"
		       "The module's counters: tables, entries (stale ones too), value\n"
		       "bytes and keys now; tables created and freed, stale entries\n"
		       "expunged and slot arrays doubled since the module was loaded.\n",
		       prog);
		return EXIT_OK;
	}
	if (argc)
		return fail(EXIT_USAGE, "'stats' takes no arguments");
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILURE_;
	err = tl_stats(fd, &st);
	close(fd);
	if (err)
		return fail(EXIT_FAILURE_, "stats: %s", tl_strerror(err));
	if (json_output)
		json_stats(&st);
	else
		print_stats(&st);
	return EXIT_OK;
}
