// SPDX-License-Identifier: GPL-2.0-only
/*
 * limits: the module's limits at their boundaries, with raw ioctls, for
 * what tlctl cannot express (tests/65-limits.sh drives it).
 *
 * usage: limits set SIZE WANT     SET a value of SIZE bytes under a new
 *                                 anonymous key; the result must be WANT
 *                                 (0 or an errno name: E2BIG, ENOSPC...).
 *                                 On success GET gives the bytes back; on
 *                                 failure the table is unchanged.
 *        limits create SIZE WANT  KEY_CREATE of an anonymous key with an
 *                                 initial value of SIZE bytes; the result
 *                                 must be WANT. On success GET returns
 *                                 the initial value; on failure no key
 *                                 was added.
 *        limits keys [UID]        print the live userspace keys (of UID)
 *        limits fill CGROUP SIZE  create keys, then SET values of SIZE
 *                                 bytes under them until a SET fails;
 *                                 print what happened as "name value"
 *                                 lines, reading CGROUP/memory.current
 *                                 and CGROUP/memory.events before and
 *                                 after, then print "holding" and hold
 *                                 the values until SIGUSR1 (exit 0) or
 *                                 SIGTERM
 *
 * Exit status: 0 if the result was the one wanted, 1 if not, 2 for a bad
 * command line or a failure to set the case up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/tasklocal.h>

#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DUMP_SLOTS	64
#define FILL_KEYS_MAX	1024U

static int dev;

static const struct {
	int err;
	const char *name;
} err_names[] = {
	{ 0, "0" }, { EINVAL, "EINVAL" }, { ENOENT, "ENOENT" },
	{ EEXIST, "EEXIST" }, { E2BIG, "E2BIG" }, { EFAULT, "EFAULT" },
	{ EPERM, "EPERM" }, { ENODATA, "ENODATA" }, { ERANGE, "ERANGE" },
	{ ENOSPC, "ENOSPC" }, { EDQUOT, "EDQUOT" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EMFILE, "EMFILE" }, { ENFILE, "ENFILE" },
};

static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(err_names); i++)
		if (err_names[i].err == err)
			return err_names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* The errno named @name ("0" for success), or -1. */
static int errnum(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(err_names); i++)
		if (!strcmp(err_names[i].name, name))
			return err_names[i].err;
	return -1;
}

static __printf(1, 2) void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static __u64 ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(dev, cmd, arg) < 0 ? errno : 0;
}

/* @len bytes that differ from one value to the next */
static void *pattern(size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t i;

	if (!buf) {
		say("limits: out of memory for %zu bytes", len);
		exit(2);
	}
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + seed);
	return buf;
}

/* An anonymous fd-owned key, with an initial value if @len: 0 or errno. */
static int fd_key(struct tasklocal_key_create *kc, const void *initial,
		  __u32 len)
{
	memset(kc, 0, sizeof(*kc));
	kc->flags = TASKLOCAL_KEY_FD;
	kc->fd = -1;
	kc->initial = ptr(initial);
	kc->initial_len = len;
	return xioctl(TASKLOCAL_IOC_KEY_CREATE, kc);
}

static int vset(__u64 id, const void *buf, __u32 len)
{
	struct tasklocal_value v;

	memset(&v, 0, sizeof(v));
	v.key_id = id;
	v.value = ptr(buf);
	v.len = len;
	return xioctl(TASKLOCAL_IOC_SET, &v);
}

static int vget(__u64 id, void *buf, __u32 *len, __u32 *flags)
{
	struct tasklocal_value v;
	int err;

	memset(&v, 0, sizeof(v));
	v.key_id = id;
	v.value = ptr(buf);
	v.len = *len;
	err = xioctl(TASKLOCAL_IOC_GET, &v);
	*len = v.len;
	*flags = v.flags;
	return err;
}

/* Entries in this task's table (0 for none), or -1. */
static int table_size(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	int err;

	memset(&d, 0, sizeof(d));
	d.slots = ptr(slots);
	d.nr_slots = DUMP_SLOTS;
	err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
	if (err == ENODATA)
		return 0;
	if (err) {
		say("TABLE_DUMP of self: %s", errname(err));
		return -1;
	}
	return d.size;
}

/* Live userspace keys, of @uid unless it is -1; -1 on failure. */
static long count_keys(long uid)
{
	struct tasklocal_key_info info[32];
	struct tasklocal_key_list kl;
	__u64 start = 0;
	long n = 0;
	__u32 i;
	int err;

	do {
		memset(&kl, 0, sizeof(kl));
		kl.keys = ptr(info);
		kl.count = ARRAY_SIZE(info);
		kl.start_id = start;
		err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
		if (err) {
			say("KEY_LIST: %s", errname(err));
			return -1;
		}
		for (i = 0; i < kl.count; i++) {
			if (info[i].flags &
			    (TASKLOCAL_KEY_DEAD | TASKLOCAL_KEY_KERNEL))
				continue;
			if (uid < 0 || info[i].uid == (__u32)uid)
				n++;
		}
		if (kl.next_id && kl.next_id <= start)
			return -1;
		start = kl.next_id;
	} while (start);
	return n;
}

/* @got is @want, or say what it was. */
static bool want_err(const char *what, int got, int want)
{
	if (got == want)
		return true;
	say("%s: got %s, want %s", what, errname(got), errname(want));
	return false;
}

/* GET of @id gives @len bytes equal to @buf, flagged @want_flags. */
static bool get_equals(__u64 id, const void *buf, __u32 len,
		       __u32 want_flags)
{
	void *got = malloc(len ? len : 1);
	__u32 glen = len, flags = 0;
	bool ok;
	int err;

	if (!got)
		return false;
	err = vget(id, got, &glen, &flags);
	ok = want_err("GET", err, 0);
	if (ok && (glen != len || memcmp(got, buf, len))) {
		say("GET gave %u bytes, not the %u set", glen, len);
		ok = false;
	}
	if (ok && flags != want_flags) {
		say("GET flags 0x%x, want 0x%x", flags, want_flags);
		ok = false;
	}
	free(got);
	return ok;
}

static int main_set(__u32 size, int want)
{
	struct tasklocal_key_create kc;
	void *buf = pattern(size, 1);
	int before, err;
	bool ok;

	err = fd_key(&kc, NULL, 0);
	if (err) {
		say("KEY_CREATE: %s", errname(err));
		return 2;
	}
	before = table_size();
	err = vset(kc.id, buf, size);
	say("SET of %u bytes: %s", size, errname(err));
	ok = want_err("SET", err, want);
	if (ok && !err)
		ok = get_equals(kc.id, buf, size, 0);
	if (ok && err && table_size() != before) {
		say("the failed SET changed the table (%d entries, was %d)",
		    table_size(), before);
		ok = false;
	}
	free(buf);
	close(kc.fd);
	return ok ? 0 : 1;
}

static int main_create(__u32 size, int want)
{
	struct tasklocal_key_create kc;
	void *buf = pattern(size, 2);
	long before = count_keys(-1), after;
	bool ok;
	int err;

	err = fd_key(&kc, buf, size);
	say("KEY_CREATE with a %u-byte initial value: %s", size,
	    errname(err));
	ok = want_err("KEY_CREATE", err, want);
	if (ok && !err)
		ok = get_equals(kc.id, buf, size, TASKLOCAL_GET_INITIAL);
	after = count_keys(-1);
	if (ok && err && after != before) {
		say("the failed KEY_CREATE changed the keys (%ld, were %ld)",
		    after, before);
		ok = false;
	}
	if (!err)
		close(kc.fd);
	free(buf);
	return ok ? 0 : 1;
}

/* A number from file @dir/@name: for "KEY N" files, the line of @key. */
static long long cg_read(const char *dir, const char *name, const char *key)
{
	char path[256], line[256];
	long long val = -1;
	size_t klen = key ? strlen(key) : 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			val = strtoll(line, NULL, 10);
			break;
		}
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			val = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

static void cg_report(const char *dir, const char *when)
{
	say("%s_current %lld", when, cg_read(dir, "memory.current", NULL));
	/* where values live: reclaim under the limit cannot take it back */
	say("%s_kernel %lld", when,
	    cg_read(dir, "memory.stat", "vmalloc") +
	    cg_read(dir, "memory.stat", "slab_unreclaimable"));
	say("%s_oom %lld", when, cg_read(dir, "memory.events", "oom"));
	say("%s_oom_kill %lld", when,
	    cg_read(dir, "memory.events", "oom_kill"));
}

/*
 * Fill this task's table with @size-byte values until a SET fails. The
 * keys are made first, so that what grows after the "before" figures is
 * values (and the table's slots).
 */
static int main_fill(const char *dir, __u32 size)
{
	long long max = cg_read(dir, "memory.max", NULL);
	struct tasklocal_key_create *keys;
	unsigned int nr_keys, i, n = 0;
	unsigned long long bytes = 0;
	int err = 0, sig;
	sigset_t mask;
	void *buf;

	/* blocked from the start: a SIGUSR1 sent early is kept pending */
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	/* twice what memory.max could hold: values that escape show */
	nr_keys = FILL_KEYS_MAX;
	if (max > 0 && size && 2 * (unsigned long long)max / size + 8 <
	    FILL_KEYS_MAX)
		nr_keys = 2 * max / size + 8;
	keys = calloc(nr_keys, sizeof(*keys));
	buf = pattern(size, 3);
	if (!keys)
		return 2;
	for (i = 0; i < nr_keys; i++) {
		err = fd_key(&keys[i], NULL, 0);
		if (err) {
			say("error KEY_CREATE %u of %u: %s", i + 1, nr_keys,
			    errname(err));
			return 2;
		}
	}
	say("keys %u", nr_keys);
	cg_report(dir, "before");
	for (i = 0; i < nr_keys; i++) {
		err = vset(keys[i].id, buf, size);
		if (err)
			break;
		n++;
		bytes += size;
		say("set %u", n);
	}
	say("values %u", n);
	say("value_bytes %llu", bytes);
	say("error %s", err ? errname(err) : "none");
	say("entries %d", table_size());
	cg_report(dir, "after");
	say("holding");
	while (sigwait(&mask, &sig))
		;
	return 0;
}

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: limits set SIZE WANT | create SIZE WANT | keys [UID] |\n"
		"              fill CGROUP SIZE\n");
	return 2;
}

static bool parse_u32(const char *s, __u32 *val)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || end == s || *end || n > UINT32_MAX)
		return false;
	*val = n;
	return true;
}

int main(int argc, char **argv)
{
	__u32 size, uid;
	int want;

	if (argc < 2)
		return bad_usage();
	dev = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		perror(TASKLOCAL_DEVICE);
		return 2;
	}
	if (!strcmp(argv[1], "keys") && argc <= 3) {
		long n;

		if (argc == 3 && !parse_u32(argv[2], &uid))
			return bad_usage();
		n = count_keys(argc == 3 ? (long)uid : -1);
		if (n < 0)
			return 2;
		say("%ld", n);
		return 0;
	}
	if (argc != 4)
		return bad_usage();
	if (!strcmp(argv[1], "fill")) {
		if (!parse_u32(argv[3], &size))
			return bad_usage();
		return main_fill(argv[2], size);
	}
	want = errnum(argv[3]);
	if (!parse_u32(argv[2], &size) || want < 0)
		return bad_usage();
	if (!strcmp(argv[1], "set"))
		return main_set(size, want);
	if (!strcmp(argv[1], "create"))
		return main_create(size, want);
	return bad_usage();
}
