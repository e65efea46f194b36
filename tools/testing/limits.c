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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/tasklocal.h>

/*
 * Not TAP: tests/65-limits.sh reads the lines as they are, and its command
 * lines call success "0".
 */
#define TAP_DIAG_PREFIX		""
#define TAP_SUCCESS_NAME	"0"
#include "tap.h"

#define FILL_KEYS_MAX	1024U

/* The errno named @name ("0" for success), or -1. */
static int errnum(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tap_errnames); i++)
		if (!strcmp(tap_errnames[i].name, name))
			return tap_errnames[i].err;
	return -1;
}

/* @len bytes that differ from one value to the next */
static void *pattern(size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t i;

	if (!buf) {
		diag("limits: out of memory for %zu bytes", len);
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

struct key_count {
	long uid;
	long n;
};

static void key_count_one(const struct tasklocal_key_info *info, void *arg)
{
	struct key_count *c = arg;

	if (info->flags & (TASKLOCAL_KEY_DEAD | TASKLOCAL_KEY_KERNEL))
		return;
	if (c->uid < 0 || info->uid == (__u32)c->uid)
		c->n++;
}

/* Live userspace keys, of @uid unless it is -1; -1 on failure. */
static long count_keys(long uid)
{
	struct key_count c = { .uid = uid };
	int err = keys_each(key_count_one, &c);

	if (err > 0)
		diag("KEY_LIST: %s", errname(err));
	return err ? -1 : c.n;
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
		diag("GET gave %u bytes, not the %u set", glen, len);
		ok = false;
	}
	if (ok && flags != want_flags) {
		diag("GET flags 0x%x, want 0x%x", flags, want_flags);
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
		diag("KEY_CREATE: %s", errname(err));
		return 2;
	}
	before = table_size();
	err = vset(kc.id, 0, buf, size);
	diag("SET of %u bytes: %s", size, errname(err));
	ok = want_err("SET", err, want);
	if (ok && !err)
		ok = get_equals(kc.id, buf, size, 0);
	if (ok && err && table_size() != before) {
		diag("the failed SET changed the table (%d entries, was %d)",
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
	diag("KEY_CREATE with a %u-byte initial value: %s", size,
	     errname(err));
	ok = want_err("KEY_CREATE", err, want);
	if (ok && !err)
		ok = get_equals(kc.id, buf, size, TASKLOCAL_GET_INITIAL);
	after = count_keys(-1);
	if (ok && err && after != before) {
		diag("the failed KEY_CREATE changed the keys (%ld, were %ld)",
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
	diag("%s_current %lld", when, cg_read(dir, "memory.current", NULL));
	/* where values live: reclaim under the limit cannot take it back */
	diag("%s_kernel %lld", when,
	     cg_read(dir, "memory.stat", "vmalloc") +
	     cg_read(dir, "memory.stat", "slab_unreclaimable"));
	diag("%s_oom %lld", when, cg_read(dir, "memory.events", "oom"));
	diag("%s_oom_kill %lld", when,
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
			diag("error KEY_CREATE %u of %u: %s", i + 1, nr_keys,
			     errname(err));
			return 2;
		}
	}
	diag("keys %u", nr_keys);
	cg_report(dir, "before");
	for (i = 0; i < nr_keys; i++) {
		err = vset(keys[i].id, 0, buf, size);
		if (err)
			break;
		n++;
		bytes += size;
		diag("set %u", n);
	}
	diag("values %u", n);
	diag("value_bytes %llu", bytes);
	diag("error %s", err ? errname(err) : "none");
	diag("entries %d", table_size());
	cg_report(dir, "after");
	diag("holding");
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
		diag("%ld", n);
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
