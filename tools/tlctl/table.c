// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl table: a task's table drawn slot by slot, and the tasks that have
 * tables.
 *
 *   pid 57 (tlctl): 16 slots
 *     SLOT  KEY      ID  HOME  DIST  VALUE
 *        0  k0        3     0     0  "x"
 *        1  k16      19     0     1  "y"
 *     ... 5 empty slots ...
 *        7  k1        4     7     0  "1"  stale
 *     ... 8 empty slots ...
 *   len 16, size 3, threshold 10, stale 1, expunged 0, resizes 0, ...
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tlctl.h"

static void slot_name(char *buf, const struct tasklocal_slot *s)
{
	tl_name_unpack(buf, s->name);
	if (!buf[0])
		snprintf(buf, TASKLOCAL_NAME_MAX, "%s",
			 s->flags & TASKLOCAL_SLOT_KERNEL ? "(kernel)" :
							    "(anonymous)");
}

static unsigned int slot_distance(const struct tl_dump *d,
				  const struct tasklocal_slot *s)
{
	return (s->index - s->home) & (d->info.len - 1);
}

static void print_empty(unsigned int n)
{
	if (n)
		printf("  ... %u empty %s ...\n", n, plural(n, "slot", "slots"));
}

static void print_slot(const struct tl_dump *d, const struct tasklocal_slot *s,
		       int width)
{
	const void *v = tl_dump_value(d, s);
	char name[TASKLOCAL_NAME_MAX];

	slot_name(name, s);
	printf("  %4u  %-*s  %6llu  %4u  %4u  ", s->index, width, name,
	       (unsigned long long)s->key_id, s->home, slot_distance(d, s));
	if (v)
		print_value(v, s->value_len, VALUE_WIDTH);
	else if (s->flags & TASKLOCAL_SLOT_KERNEL)
		fputs("(kernel value)", stdout);
	else
		printf("%u %s", s->value_len, plural(s->value_len, "byte",
						     "bytes"));
	if (s->flags & TASKLOCAL_SLOT_HIDDEN)
		fputs(" (hidden: the key's mode)", stdout);
	if (s->flags & TASKLOCAL_SLOT_STALE)
		fputs("  stale", stdout);
	putchar('\n');
}

static void print_table(const struct tl_dump *d, const char *comm)
{
	const struct tasklocal_table_dump *t = &d->info;
	char name[TASKLOCAL_NAME_MAX];
	unsigned int next = 0, i;
	int width = 3;

	for (i = 0; i < t->nr_slots; i++) {
		slot_name(name, &d->slots[i]);
		if ((int)strlen(name) > width)
			width = strlen(name);
	}
	printf("pid %u (%s): %u slots\n", t->pid, comm, t->len);
	printf("  %4s  %-*s  %6s  %4s  %4s  %s\n", "SLOT", width, "KEY", "ID",
	       "HOME", "DIST", "VALUE");
	for (i = 0; i < t->nr_slots; i++) {
		print_empty(d->slots[i].index - next);
		print_slot(d, &d->slots[i], width);
		next = d->slots[i].index + 1;
	}
	print_empty(t->len > next ? t->len - next : 0);
	printf("len %u, size %u, threshold %u, stale %u, ", t->len, t->size,
	       t->threshold, t->stale);
	printf("expunged %llu, resizes %llu, rehashes %llu, value bytes %llu\n",
	       (unsigned long long)t->expunged, (unsigned long long)t->resizes,
	       (unsigned long long)t->rehashes,
	       (unsigned long long)t->value_bytes);
}

static void json_slot(const struct tl_dump *d, const struct tasklocal_slot *s)
{
	const void *v = tl_dump_value(d, s);
	char name[TASKLOCAL_NAME_MAX];

	tl_name_unpack(name, s->name);
	json_begin_object();
	json_u64("index", s->index);
	json_u64("key_id", s->key_id);
	json_string_or_null("name", name);
	json_u64("hash", s->hash);
	json_u64("home", s->home);
	json_u64("distance", slot_distance(d, s));
	json_bool("stale", s->flags & TASKLOCAL_SLOT_STALE);
	json_bool("kernel", s->flags & TASKLOCAL_SLOT_KERNEL);
	json_bool("hidden", s->flags & TASKLOCAL_SLOT_HIDDEN);
	json_u64("value_len", s->value_len);
	/* null without --values, and for a kernel key's value */
	if (v) {
		json_value(v, s->value_len);
	} else {
		json_null("value");
		json_null("value_hex");
	}
	json_end_object();
}

static void json_table(const struct tl_dump *d, const char *comm)
{
	const struct tasklocal_table_dump *t = &d->info;
	__u32 i;

	json_open("table");
	json_u64("pid", t->pid);
	json_string("comm", comm);
	json_u64("len", t->len);
	json_u64("size", t->size);
	json_u64("threshold", t->threshold);
	json_u64("stale", t->stale);
	json_u64("expunged", t->expunged);
	json_u64("resizes", t->resizes);
	json_u64("rehashes", t->rehashes);
	json_u64("value_bytes", t->value_bytes);
	json_begin_array("slots");
	for (i = 0; i < t->nr_slots; i++)
		json_slot(d, &d->slots[i]);
	json_end_array();
	json_close();
}

/* A task without a table: in JSON, a table object whose slots are null. */
static void print_no_table(int pid, const char *comm)
{
	if (json_output) {
		json_open("table");
		json_u64("pid", pid);
		json_string("comm", comm);
		json_null("slots");
		json_close();
	} else {
		printf("pid %d (%s): no table\n", pid, comm);
	}
}

static int dump_error(int err, int pid)
{
	switch (-err) {
	case ESRCH:
		return fail(EXIT_FAILURE_, "no such task: %d", pid);
	case EPERM:
		return fail(EXIT_FAILURE_,
			    "not permitted to read the table of pid %d: it needs the same uid and a dumpable task, or CAP_SYS_PTRACE",
			    pid);
	}
	return fail(EXIT_FAILURE_, "cannot read the table of pid %d: %s",
		    pid, tl_strerror(err));
}

/* Show the table of @pid, or the caller's with @pid 0: an exit status. */
static int show_one(int fd, int pid, bool values)
{
	__u32 flags = values ? TASKLOCAL_DUMP_VALUES : 0;
	struct tl_dump *d;
	char comm[32];
	int err;

	if (pid)
		flags |= TASKLOCAL_DUMP_PID;
	task_comm(pid ? pid : getpid(), comm, sizeof(comm));
	err = tl_table_dump(fd, flags, pid, &d);
	if (err == -ENODATA) {
		print_no_table(pid ? pid : getpid(), comm);
		return EXIT_OK;
	}
	if (err)
		return dump_error(err, pid ? pid : getpid());
	if (json_output)
		json_table(d, comm);
	else
		print_table(d, comm);
	tl_dump_free(d);
	return EXIT_OK;
}

/*
 * Every task's table, skipping tasks that exit meanwhile. A table that
 * cannot be read (its task exec'd a setuid program since it was listed)
 * is said on stderr, and the status is then 1.
 */
static int show_all(int fd, bool values)
{
	struct tasklocal_task_info *tasks;
	size_t n, i, shown = 0;
	int err, ret = EXIT_OK;

	err = tl_table_list(fd, &tasks, &n);
	if (err)
		return fail(EXIT_FAILURE_, "cannot list tables: %s",
			    tl_strerror(err));
	if (json_output)
		json_open_array("tables");
	for (i = 0; i < n; i++) {
		struct tl_dump *d;
		char comm[17];

		if (!tasks[i].pid)
			continue;	/* not in our pid namespace */
		tl_comm_unpack(comm, tasks[i].comm);
		err = tl_table_dump(fd, TASKLOCAL_DUMP_PID |
				    (values ? TASKLOCAL_DUMP_VALUES : 0),
				    tasks[i].pid, &d);
		if (err == -ESRCH || err == -ENODATA)
			continue;
		if (err) {
			ret = fail(EXIT_FAILURE_, "table show: pid %u (%s): %s",
				   tasks[i].pid, comm, tl_strerror(err));
			continue;
		}
		if (!json_output && shown++)
			putchar('\n');
		if (json_output)
			json_table(d, comm);
		else
			print_table(d, comm);
		tl_dump_free(d);
	}
	if (json_output)
		json_close_array();
	free(tasks);
	return ret;
}

/**
 * table_show() - "table show [PID|self] [--values]"
 * @fd: the device
 * @argc: arguments after "show"
 * @argv: them
 * @in_batch: without PID, show the caller's table (else every table)
 *
 * Return: an exit status.
 */
int table_show(int fd, int argc, char **argv, bool in_batch)
{
	unsigned long long pid = 0;
	bool values = false, target = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (is_option(argv[i], "--values")) {
			values = true;
		} else if (target || argv[i][0] == '-') {
			return fail(EXIT_USAGE, "table show: unexpected '%s'",
				    argv[i]);
		} else if (!strcmp(argv[i], "self")) {
			target = true;
		} else if (parse_u64(argv[i], &pid) || !pid ||
			   pid > 0x7fffffff) {
			return fail(EXIT_USAGE,
				    "table show: '%s' is not a PID or 'self'",
				    argv[i]);
		} else {
			target = true;
		}
	}
	if (fd < 0)
		return EXIT_OK;		/* the arguments were all to check */
	if (!target && !in_batch)
		return show_all(fd, values);
	return show_one(fd, pid, values);
}

static int do_table_show(int argc, char **argv)
{
	int fd, ret;

	ret = table_show(-1, argc, argv, false);
	if (ret)
		return ret;
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILURE_;
	ret = table_show(fd, argc, argv, false);
	close(fd);
	return ret;
}

static void print_tasks(const struct tasklocal_task_info *tasks, size_t n)
{
	char comm[17];
	size_t i;

	if (json_output)
		json_open_array("tasks");
	else
		printf("%7s  %-16s  %6s  %6s  %6s  %8s\n", "PID", "COMM", "LEN",
		       "SIZE", "STALE", "BYTES");
	for (i = 0; i < n; i++) {
		const struct tasklocal_task_info *t = &tasks[i];

		tl_comm_unpack(comm, t->comm);
		if (!json_output) {
			printf("%7u  %-16s  %6u  %6u  %6u  %8llu\n", t->pid,
			       comm, t->len, t->size, t->stale,
			       (unsigned long long)t->value_bytes);
			continue;
		}
		json_begin_object();
		json_u64("pid", t->pid);
		json_string("comm", comm);
		json_u64("len", t->len);
		json_u64("size", t->size);
		json_u64("stale", t->stale);
		json_u64("value_bytes", t->value_bytes);
		json_end_object();
	}
	if (json_output)
		json_close_array();
}

static int do_table_list(int argc, char **argv)
{
	struct tasklocal_task_info *tasks;
	size_t n;
	int fd, err;

	(void)argv;
	if (argc)
		return fail(EXIT_USAGE, "table list takes no arguments");
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILURE_;
	err = tl_table_list(fd, &tasks, &n);
	close(fd);
	if (err)
		return fail(EXIT_FAILURE_, "cannot list tables: %s",
			    tl_strerror(err));
	print_tasks(tasks, n);
	free(tasks);
	return EXIT_OK;
}

/* What a failed clear of @pid means, said once. */
static int clear_error(int err, unsigned long long pid, const char *key)
{
	switch (-err) {
	case ESRCH:
		return fail(EXIT_FAILURE_, "table clear: no task with pid %llu",
			    pid);
	case EPERM:
		return fail(EXIT_FAILURE_,
			    "table clear: pid %llu: not permitted (another user's task, or not dumpable: CAP_SYS_PTRACE is needed)",
			    pid);
	case ENOENT:
		return fail(EXIT_FAILURE_,
			    "table clear: no userspace key '%s' (any more)", key);
	}
	return fail(EXIT_FAILURE_, "table clear: pid %llu: %s", pid,
		    tl_strerror(err));
}

/* "table clear PID [--key NAME|ID]": remove another task's values. */
static int do_table_clear(int argc, char **argv)
{
	unsigned long long pid = 0, id = 0;
	struct tasklocal_key_info k;
	const char *key = NULL;
	__u32 flags = TASKLOCAL_CLEAR_PID;
	int fd, i, n, ret;

	for (i = 0; i < argc; i++) {
		if (is_option(argv[i], "--key") && i + 1 < argc) {
			key = argv[++i];
		} else if (pid || argv[i][0] == '-') {
			return fail(EXIT_USAGE, "table clear: unexpected '%s'",
				    argv[i]);
		} else if (parse_u64(argv[i], &pid) || !pid ||
			   pid > 0x7fffffff) {
			return fail(EXIT_USAGE,
				    "table clear: '%s' is not a PID", argv[i]);
		}
	}
	if (!pid)
		return fail(EXIT_USAGE,
			    "usage: %s table clear PID [--key NAME|ID]", prog);
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILURE_;
	if (key) {
		flags |= TASKLOCAL_CLEAR_KEY;
		/* an id may name a dead key, whose entries are stale */
		if (parse_u64(key, &id)) {
			ret = resolve_key(fd, key, &k);
			if (ret) {
				close(fd);
				return ret;
			}
			id = k.id;
		}
	}
	n = tl_clear_task(fd, flags, (int)pid, id);
	close(fd);
	if (n < 0)
		return clear_error(n, pid, key);
	if (json_output) {
		json_open("clear");
		json_u64("pid", pid);
		json_u64("removed", n);
		json_close();
	} else {
		printf("removed %d %s from pid %llu\n", n,
		       plural(n, "entry", "entries"), pid);
	}
	return EXIT_OK;
}

static const struct cmd table_cmds[] = {
	{ "show", do_table_show, "show [PID|self] [--values]" },
	{ "list", do_table_list, "list" },
	{ "clear", do_table_clear, "clear PID [--key NAME|ID]" },
	{ NULL },
};

int do_table(int argc, char **argv)
{
	int ret = run_cmd(table_cmds, "table", argc, argv);

	if (argc == 1 && !strcmp(argv[0], "help"))
		printf("\n"
		       "show draws a table slot by slot: index, key, id, the key's home slot,\n"
		       "the probe distance from it, and the value (its size, or with --values\n"
		       "its bytes, escaped and cut to %d characters); 'stale' marks an entry\n"
		       "whose key is dead. Runs of empty slots are shown as one line. Without\n"
		       "PID, every task's table. Another user's table needs CAP_SYS_PTRACE.\n"
		       "list shows the tasks that have tables. clear removes the values of\n"
		       "userspace keys from task PID's table (with --key, that key's alone:\n"
		       "a name, or the id of a dead key), with the rights ptrace would need.\n",
		       VALUE_WIDTH);
	return ret;
}
