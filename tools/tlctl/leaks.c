// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl leaks: tasks that hold stale entries, and dead keys whose entries
 * are not all gone: the pooled-thread leak of ThreadLocal, made visible.
 *
 * A key's death only marks its entries stale; the module's sweeper
 * removes them a moment later (sweep_delay_ms), or, with the sweeper off,
 * each table expunges them when its own task next uses it, or when the
 * task exits: a long-lived task that never touches its table again keeps
 * them for its whole life. --reclaim clears them from outside.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tlctl.h"

#define DEAD_KEYS_SHOWN	8	/* per task; more are counted */

/* What the dump of one task's table says about its stale entries. */
struct stale_info {
	bool known;		/* the table could be read */
	unsigned long long bytes;
	unsigned int nr_keys, more_keys;	/* the dead keys behind them */
	__u64 ids[DEAD_KEYS_SHOWN];
	char names[DEAD_KEYS_SHOWN][TASKLOCAL_NAME_MAX];
};

/* Note the dead key of a stale slot, once. */
static void stale_key(struct stale_info *si, const struct tasklocal_slot *sl)
{
	unsigned int i;

	for (i = 0; i < si->nr_keys; i++)
		if (si->ids[i] == sl->key_id)
			return;
	if (si->nr_keys == DEAD_KEYS_SHOWN) {
		si->more_keys++;
		return;
	}
	si->ids[si->nr_keys] = sl->key_id;
	tl_name_unpack(si->names[si->nr_keys], sl->name);
	si->nr_keys++;
}

static void stale_of(int fd, const struct tasklocal_task_info *t,
		     struct stale_info *si)
{
	struct tl_dump *d;
	__u32 i;

	memset(si, 0, sizeof(*si));
	if (tl_table_dump(fd, TASKLOCAL_DUMP_PID, t->pid, &d))
		return;
	si->known = true;
	for (i = 0; i < d->info.nr_slots; i++) {
		if (!(d->slots[i].flags & TASKLOCAL_SLOT_STALE))
			continue;
		si->bytes += d->slots[i].value_len;
		stale_key(si, &d->slots[i]);
	}
	tl_dump_free(d);
}

/* What all the tasks reported pin, for the summary. */
struct leak_totals {
	unsigned long long tasks, stale, bytes, dead_keys;
};

static void show_task(int fd, const struct tasklocal_task_info *t,
		      struct leak_totals *sum)
{
	struct stale_info si;
	char comm[17];
	unsigned int i;

	tl_comm_unpack(comm, t->comm);
	stale_of(fd, t, &si);
	sum->tasks++;
	sum->stale += t->stale;
	sum->bytes += si.bytes;
	if (json_output) {
		json_begin_object();
		json_u64("pid", t->pid);
		json_string("comm", comm);
		json_u64("stale", t->stale);
		json_u64("size", t->size);
		json_u64("value_bytes", t->value_bytes);
		if (si.known) {
			json_u64("stale_bytes", si.bytes);
			json_begin_array("dead_key_ids");
			for (i = 0; i < si.nr_keys; i++)
				json_u64(NULL, si.ids[i]);
			json_end_array();
		}
		json_end_object();
		return;
	}
	printf("pid %u (%s): %u stale %s of %u", t->pid, comm, t->stale,
	       plural(t->stale, "entry", "entries"), t->size);
	if (si.known)
		printf(", holding %llu of %llu value bytes", si.bytes,
		       (unsigned long long)t->value_bytes);
	for (i = 0; i < si.nr_keys; i++) {
		fputs(i ? ", " : ", under ", stdout);
		if (si.names[i][0])
			fputs(si.names[i], stdout);
		else
			printf("key %llu", (unsigned long long)si.ids[i]);
	}
	if (si.more_keys)
		printf(" and %u more %s", si.more_keys,
		       plural(si.more_keys, "key", "keys"));
	putchar('\n');
}

static void show_totals(const struct leak_totals *sum)
{
	if (json_output) {
		json_key_object("summary");
		json_u64("tasks", sum->tasks);
		json_u64("stale", sum->stale);
		json_u64("stale_bytes", sum->bytes);
		json_u64("dead_keys", sum->dead_keys);
		json_end_object();
		return;
	}
	printf("in all: %llu %s %s %llu value %s in %llu stale %s; %llu dead %s %s entries left\n",
	       sum->tasks, plural(sum->tasks, "task", "tasks"),
	       sum->tasks == 1 ? "pins" : "pin", sum->bytes,
	       plural(sum->bytes, "byte", "bytes"), sum->stale,
	       plural(sum->stale, "entry", "entries"), sum->dead_keys,
	       plural(sum->dead_keys, "key", "keys"),
	       sum->dead_keys == 1 ? "has" : "have");
}

/*
 * Milliseconds since a key's death (CLOCK_BOOTTIME, as the module keeps
 * it), or -1 if the module does not say when (before API 0.6).
 */
static long long dead_for_ms(const struct tasklocal_key_info *k)
{
	struct timespec ts;
	__u64 now;

	if (!k->death_time || clock_gettime(CLOCK_BOOTTIME, &ts))
		return -1;
	now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return now > k->death_time ? (now - k->death_time) / 1000000 : 0;
}

/* "1.2 s", "3 min 4 s", "5 h 6 min", "7 d 8 h" */
static void format_age(char *buf, size_t size, long long ms)
{
	long long s = ms / 1000;

	if (s < 60)
		snprintf(buf, size, "%lld.%lld s", s, ms % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, size, "%lld min %lld s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lld d %lld h", s / 86400, s % 86400 / 3600);
}

static void show_key(const struct tasklocal_key_info *k)
{
	long long ms = dead_for_ms(k);
	char name[TASKLOCAL_NAME_MAX], age[48] = "";

	tl_name_unpack(name, k->name);
	if (json_output) {
		json_begin_object();
		json_u64("id", k->id);
		json_string_or_null("name", name);
		json_u64("uid", k->uid);
		json_u64("entries", k->entries);
		if (ms < 0)
			json_null("dead_for_ms");
		else
			json_u64("dead_for_ms", ms);
		json_end_object();
		return;
	}
	if (ms >= 0) {
		char when[32];

		format_age(when, sizeof(when), ms);
		snprintf(age, sizeof(age), ", dead for %s", when);
	}
	printf("dead key %s (id %llu, uid %u%s): %u %s left in tables\n",
	       name[0] ? name : "(anonymous)", (unsigned long long)k->id,
	       k->uid, age, k->entries, plural(k->entries, "entry", "entries"));
}

static void print_advice(void)
{
	printf("\n"
	       "Stale entries keep their values until the module's sweeper removes\n"
	       "them (sweep_delay_ms after their key's death; 0 turns it off), the\n"
	       "task holding them uses its table again (a set, get or remove that\n"
	       "reaches them, or a clear) or exits. '%s leaks --reclaim' clears\n"
	       "them now.\n", prog);
}

static bool dead_with_entries(const struct tasklocal_key_info *k)
{
	return (k->flags & TASKLOCAL_KEY_DEAD) && k->entries;
}

/* Dead kernel keys with entries left: --reclaim leaves those. */
static bool kernel_leaks(const struct tasklocal_key_info *keys, size_t nk)
{
	size_t i;

	for (i = 0; i < nk; i++)
		if (dead_with_entries(&keys[i]) &&
		    keys[i].flags & TASKLOCAL_KEY_KERNEL)
			return true;
	return false;
}

/*
 * Clear the stale entries of every task reported, dead key by dead key
 * (kernel keys' entries are the kernel's to expunge). A task that exited,
 * or a key whose last entry went meanwhile, has nothing left to clear.
 */
static int reclaim_stale(int fd, const struct tasklocal_task_info *tasks,
			 size_t nt, const struct tasklocal_key_info *keys,
			 size_t nk)
{
	unsigned long long removed = 0, from = 0;
	int ret = EXIT_OK, n, got;
	size_t i, j;

	for (i = 0; i < nt; i++) {
		if (!tasks[i].stale)
			continue;
		got = 0;
		for (j = 0; j < nk; j++) {
			if (!dead_with_entries(&keys[j]) ||
			    keys[j].flags & TASKLOCAL_KEY_KERNEL)
				continue;
			n = tl_clear_task(fd, TASKLOCAL_CLEAR_PID |
					  TASKLOCAL_CLEAR_KEY, tasks[i].pid,
					  keys[j].id);
			if (n == -ESRCH)
				break;
			if (n == -ENOENT)
				continue;
			if (n < 0) {
				ret = fail(EXIT_FAILURE_,
					   "leaks --reclaim: pid %u: %s",
					   tasks[i].pid, tl_strerror(n));
				break;
			}
			got += n;
		}
		if (got) {
			removed += got;
			from++;
		}
	}
	if (json_output) {
		json_key_object("reclaimed");
		json_u64("entries", removed);
		json_u64("tasks", from);
		json_end_object();
	} else {
		printf("reclaimed %llu %s from %llu %s\n", removed,
		       plural(removed, "entry", "entries"), from,
		       plural(from, "task", "tasks"));
	}
	return ret;
}

static int report(int fd, const struct tasklocal_task_info *tasks, size_t nt,
		  const struct tasklocal_key_info *keys, size_t nk,
		  bool reclaiming)
{
	struct leak_totals sum = { 0 };
	int ret = EXIT_OK;
	size_t i;

	if (json_output) {
		json_open("leaks");
		json_begin_array("tasks");
	}
	for (i = 0; i < nt; i++)
		if (tasks[i].stale)
			show_task(fd, &tasks[i], &sum);
	if (json_output) {
		json_end_array();
		json_begin_array("dead_keys");
	}
	for (i = 0; i < nk; i++)
		if (dead_with_entries(&keys[i])) {
			show_key(&keys[i]);
			sum.dead_keys++;
		}
	if (json_output)
		json_end_array();
	if (json_output || sum.tasks || sum.dead_keys)
		show_totals(&sum);
	if (reclaiming && (sum.tasks || sum.dead_keys)) {
		if (reclaim_stale(fd, tasks, nt, keys, nk))
			ret = EXIT_LEAKS_TROUBLE;
		else if (kernel_leaks(keys, nk))
			ret = EXIT_LEAKS_FOUND;	/* not ours to clear */
	} else if (sum.tasks || sum.dead_keys) {
		ret = EXIT_LEAKS_FOUND;
	}
	if (json_output)
		json_close();
	else if ((sum.tasks || sum.dead_keys) && !reclaiming)
		print_advice();
	else if (!sum.tasks && !sum.dead_keys)
		printf("no stale entries, no dead keys with entries left\n");
	return ret;
}

int do_leaks(int argc, char **argv)
{
	struct tasklocal_task_info *tasks = NULL;
	struct tasklocal_key_info *keys = NULL;
	size_t nt, nk;
	int fd, err, ret;

	bool reclaiming = false;

	if (is_help(argc, argv)) {
		printf("Usage: %s leaks [--reclaim]\n"
		       "\n"
		       "Tasks whose tables hold stale entries (values under dead keys) and\n"
		       "dead keys whose entries are not all expunged yet, with the bytes\n"
		       "they pin. --reclaim then clears those stale entries from the tables\n"
		       "of the tasks listed (the rights ptrace would need), and says how\n"
		       "many went.\n"
		       "\n"
		       "Exit status, as diff's: 0 if there are none, 1 if there are some\n"
		       "(with --reclaim: 0 once they are cleared; 1 if some are kernel\n"
		       "keys', which only kernel code may clear), 2 on trouble.\n", prog);
		return EXIT_OK;
	}
	if (argc == 1 && is_option(argv[0], "--reclaim"))
		reclaiming = true;
	else if (argc)
		return fail(EXIT_LEAKS_TROUBLE, "usage: %s leaks [--reclaim]",
			    prog);
	fd = open_device();
	if (fd < 0)
		return EXIT_LEAKS_TROUBLE;
	err = tl_table_list(fd, &tasks, &nt);
	if (!err)
		err = tl_key_list(fd, &keys, &nk);
	if (err)
		ret = fail(EXIT_LEAKS_TROUBLE, "leaks: %s", tl_strerror(err));
	else
		ret = report(fd, tasks, nt, keys, nk, reclaiming);
	free(tasks);
	free(keys);
	close(fd);
	return ret;
}
