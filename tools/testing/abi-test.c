// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi-test: the /dev/tasklocal ioctl ABI, driven with raw ioctls.
 *
 * One TAP line per case: every unknown flag, non-zero reserved field, bad
 * pointer, out-of-range value and unknown command must fail with the errno
 * <linux/tasklocal.h> documents AND change nothing: the key list and this
 * task's table (slots, values, counters) are snapshotted around each call
 * and compared. Runs as root in the test VM, with the module loaded and
 * no other user of it; prints "1..N" last and exits 1 if a case failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/tasklocal.h>

#include "tap.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BAD_PTR		16ULL	/* never mapped */
#define SNAP_SLOTS	256
#define SNAP_VALUES	65536

static struct tasklocal_version ver;

/* The keys set up first: named, named without value, initial, fd-owned. */
static struct tasklocal_key_create key_v, key_nv, key_init, key_fd;

/* What a failed call must leave alone: every key, and this task's table. */
struct snap {
	struct tasklocal_key_info *keys;
	size_t nr_keys;
	int keys_err;
	int dump_err;
	struct tasklocal_table_dump d;
	struct tasklocal_slot slots[SNAP_SLOTS];
	unsigned char values[SNAP_VALUES];
};

static struct snap before, after;

static void snap_keys(struct snap *s)
{
	struct tasklocal_key_list kl;
	__u64 start = 0;

	free(s->keys);
	s->keys = NULL;
	s->nr_keys = 0;
	do {
		s->keys = realloc(s->keys, (s->nr_keys + 64) * sizeof(*s->keys));
		memset(&kl, 0, sizeof(kl));
		kl.keys = ptr(s->keys + s->nr_keys);
		kl.count = 64;
		kl.start_id = start;
		kl.info_size = sizeof(*s->keys);
		s->keys_err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
		if (s->keys_err || (kl.next_id && kl.next_id <= start))
			return;
		s->nr_keys += kl.count;
		start = kl.next_id;
	} while (start);
}

static void snap_take(struct snap *s)
{
	snap_keys(s);
	memset(&s->d, 0, sizeof(s->d));
	memset(s->slots, 0, sizeof(s->slots));
	memset(s->values, 0, sizeof(s->values));
	s->d.flags = TASKLOCAL_DUMP_VALUES;
	s->d.slots = ptr(s->slots);
	s->d.nr_slots = SNAP_SLOTS;
	s->d.values = ptr(s->values);
	s->d.values_len = SNAP_VALUES;
	s->dump_err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &s->d);
	s->d.slots = 0;
	s->d.values = 0;
}

static bool snap_equal(const struct snap *a, const struct snap *b)
{
	if (a->keys_err != b->keys_err || a->nr_keys != b->nr_keys ||
	    memcmp(a->keys, b->keys, a->nr_keys * sizeof(*a->keys)))
		return false;
	if (a->dump_err != b->dump_err)
		return false;
	if (a->dump_err)
		return true;
	return !memcmp(&a->d, &b->d, sizeof(a->d)) &&
	       !memcmp(a->slots, b->slots, a->d.nr_slots * sizeof(*a->slots)) &&
	       !memcmp(a->values, b->values, a->d.values_len);
}

/* @cmd on @arg fails with @want and changes nothing. */
static void expect(const char *what, unsigned long cmd, void *arg, int want)
{
	bool same;
	int got;

	snap_take(&before);
	got = xioctl(cmd, arg);
	snap_take(&after);
	same = snap_equal(&before, &after);
	tap(got == want && same, "%s: %s, nothing changed", what,
	    errname(want));
	if (got != want)
		diag("got %s", errname(got));
	if (!same)
		diag("the key list or this task's table changed");
}

static void name_set(__u64 *words, const char *name, size_t len)
{
	memset(words, 0, TASKLOCAL_NAME_MAX);
	memcpy(words, name, len);
}

static void kc_init(struct tasklocal_key_create *kc, const char *name,
		    __u32 flags)
{
	memset(kc, 0, sizeof(*kc));
	kc->flags = flags;
	if (name)
		name_set(kc->name, name, strlen(name));
}

static void setup_key(struct tasklocal_key_create *kc, const char *name,
		      __u32 flags, const char *initial)
{
	int err;

	kc_init(kc, name, flags);
	if (initial) {
		kc->initial = ptr(initial);
		kc->initial_len = strlen(initial);
	}
	err = xioctl(TASKLOCAL_IOC_KEY_CREATE, kc);
	tap(!err && kc->id, "KEY_CREATE %s, to begin with", name);
	if (err)
		diag("got %s", errname(err));
}

static struct tasklocal_value val(__u64 key, __u32 flags, const void *buf,
				  __u32 len)
{
	struct tasklocal_value v;

	memset(&v, 0, sizeof(v));
	v.key_id = key;
	v.flags = flags;
	v.value = ptr(buf);
	v.len = len;
	return v;
}

static void setup(void)
{
	struct tasklocal_value v;
	int err;

	memset(&ver, 0, sizeof(ver));
	err = xioctl(TASKLOCAL_IOC_VERSION, &ver);
	tap(!err && ver.api_major == 0 && ver.max_value_size,
	    "VERSION answers, API %u.%u", ver.api_major, ver.api_minor);
	setup_key(&key_v, "abi.v", 0, NULL);
	setup_key(&key_nv, "abi.nv", 0, NULL);
	setup_key(&key_init, "abi.init", 0, "init");
	setup_key(&key_fd, "abi.fd", TASKLOCAL_KEY_FD, NULL);
	v = val(key_v.id, 0, "v1", 2);
	err = xioctl(TASKLOCAL_IOC_SET, &v);
	tap(!err, "SET abi.v = v1 in this task's table, to begin with");
	if (err)
		diag("got %s", errname(err));
}

static void test_version(void)
{
	tap(!ver.reserved[0] && !ver.reserved[1] && !ver.reserved[2] &&
	    !ver.reserved[3], "VERSION: reserved fields are zero");
	expect("VERSION to a bad pointer", TASKLOCAL_IOC_VERSION,
	       (void *)BAD_PTR, EFAULT);
}

static void create_bad(const char *what, struct tasklocal_key_create *kc,
		       int want)
{
	char desc[128];

	snprintf(desc, sizeof(desc), "KEY_CREATE %s", what);
	expect(desc, TASKLOCAL_IOC_KEY_CREATE, kc, want);
	if (kc->fd > 0 && kc->id)
		close(kc->fd);	/* only if it wrongly succeeded */
}

static void test_key_create(void)
{
	static const char long_name[TASKLOCAL_NAME_MAX + 1] =
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
	struct tasklocal_key_create kc;
	char *big;

	kc_init(&kc, "abi.x", 1U << 7);
	create_bad("with an unknown flag", &kc, EINVAL);
	kc_init(&kc, "abi.x", TASKLOCAL_KEY_DEAD);
	create_bad("with a report-only flag (DEAD)", &kc, EINVAL);
	kc_init(&kc, "abi.x", 0);
	kc.mode = TASKLOCAL_PERM_SET;
	create_bad("with a mode but not TASKLOCAL_KEY_MODE", &kc, EINVAL);
	kc_init(&kc, "abi.x", TASKLOCAL_KEY_MODE);
	kc.mode = TASKLOCAL_PERM_MASK + 1;
	create_bad("with an unknown mode bit", &kc, EINVAL);
	kc_init(&kc, "abi.x", 0);
	kc.reserved0 = 1;
	create_bad("with reserved0 set", &kc, EINVAL);
	kc_init(&kc, "abi.x", 0);
	kc.reserved = 1;
	create_bad("with reserved set", &kc, EINVAL);
	kc_init(&kc, "abi x", 0);
	create_bad("with a blank in the name", &kc, EINVAL);
	kc_init(&kc, "abi/x", 0);
	create_bad("with a '/' in the name", &kc, EINVAL);
	kc_init(&kc, NULL, 0);
	name_set(kc.name, "abi.x\0y", 7);
	create_bad("with bytes after the name's NUL", &kc, EINVAL);
	kc_init(&kc, NULL, 0);
	name_set(kc.name, long_name, TASKLOCAL_NAME_MAX);
	create_bad("with a 64-byte name (no NUL)", &kc, EINVAL);
	kc_init(&kc, NULL, 0);
	create_bad("anonymous without TASKLOCAL_KEY_FD", &kc, EINVAL);
	kc_init(&kc, "abi.v", 0);
	create_bad("with a name already taken", &kc, EEXIST);
	big = calloc(1, ver.max_value_size + 1);
	kc_init(&kc, "abi.x", 0);
	kc.initial = ptr(big);
	kc.initial_len = ver.max_value_size + 1;
	create_bad("with an initial value over max_value_size", &kc, E2BIG);
	free(big);
	kc_init(&kc, "abi.x", 0);
	kc.initial = BAD_PTR;
	kc.initial_len = 4;
	create_bad("with a bad initial value pointer", &kc, EFAULT);
	expect("KEY_CREATE from a bad pointer", TASKLOCAL_IOC_KEY_CREATE,
	       (void *)BAD_PTR, EFAULT);
}

/* The failed creates took no hash: the next key's is the next in line. */
static void test_key_hashes(void)
{
	struct tasklocal_key_create kc;
	struct tasklocal_key_delete kd;
	int err, flags;

	kc_init(&kc, "abi.after", 0);
	err = xioctl(TASKLOCAL_IOC_KEY_CREATE, &kc);
	tap(!err && kc.hash == key_fd.hash + ver.hash_increment,
	    "KEY_CREATE: failed creates consumed no hash (0x%08x after 0x%08x)",
	    kc.hash, key_fd.hash);
	tap(key_nv.hash == key_v.hash + ver.hash_increment &&
	    key_nv.id != key_v.id,
	    "KEY_CREATE: hashes advance by the hash increment, ids differ");
	flags = fcntl(key_fd.fd, F_GETFD);
	tap(key_fd.fd > 2 && flags >= 0 && (flags & FD_CLOEXEC),
	    "KEY_CREATE with TASKLOCAL_KEY_FD returns an O_CLOEXEC fd");
	memset(&kd, 0, sizeof(kd));
	kd.id = kc.id;
	err = xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	tap(!err, "KEY_DELETE of a named key succeeds");
}

static void test_key_delete(void)
{
	struct tasklocal_key_delete kd;

	memset(&kd, 0, sizeof(kd));
	kd.id = key_nv.id;
	kd.flags = 1;
	expect("KEY_DELETE with flags set", TASKLOCAL_IOC_KEY_DELETE, &kd,
	       EINVAL);
	kd.flags = 0;
	kd.reserved = 1;
	expect("KEY_DELETE with reserved set", TASKLOCAL_IOC_KEY_DELETE, &kd,
	       EINVAL);
	kd.reserved = 0;
	kd.id = 0x7ffffff0;
	expect("KEY_DELETE of an unknown id", TASKLOCAL_IOC_KEY_DELETE, &kd,
	       ENOENT);
	kd.id = 0;
	expect("KEY_DELETE of id 0", TASKLOCAL_IOC_KEY_DELETE, &kd, ENOENT);
	kd.id = key_fd.id;
	expect("KEY_DELETE of an fd-owned key", TASKLOCAL_IOC_KEY_DELETE, &kd,
	       EINVAL);
	expect("KEY_DELETE from a bad pointer", TASKLOCAL_IOC_KEY_DELETE,
	       (void *)BAD_PTR, EFAULT);
}

/*
 * KEY_LIST of abi.v and abi.nv (consecutive ids) into elements of @isize
 * bytes, from a structure of @lsize: returns the error; @buf's bytes past
 * what was written keep 0x5a.
 */
static int key_list_into(unsigned char *buf, size_t room, size_t lsize,
			 __u32 isize, __u32 *filled)
{
	struct tasklocal_key_list kl;
	int err;

	memset(buf, 0x5a, room);
	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr(buf);
	kl.count = 2;
	kl.start_id = key_v.id;
	kl.info_size = isize;
	err = xioctl(_IOC(_IOC_READ | _IOC_WRITE, TASKLOCAL_IOC_MAGIC,
			  _IOC_NR(TASKLOCAL_IOC_KEY_LIST), lsize), &kl);
	*filled = kl.info_size;
	return err ? err : kl.count == 2 ? 0 : -1;
}

static bool all_bytes(const unsigned char *p, size_t len, unsigned char c)
{
	while (len--)
		if (*p++ != c)
			return false;
	return true;
}

/* Elements of another size than this ABI's: older and newer callers. */
static void test_key_list_sizes(void)
{
	const size_t k = sizeof(struct tasklocal_key_info);
	const size_t v0 = TASKLOCAL_KEY_INFO_SIZE_VER0;
	static unsigned char buf[2 * TASKLOCAL_KEY_INFO_SIZE_MAX + 64];
	const __u32 bad_sizes[] = {
		0, 8, v0 - 8, v0 + 4, k + 1, TASKLOCAL_KEY_INFO_SIZE_MAX + 8,
		~0U,
	};
	char what[80];
	__u64 id0, id1;
	__u32 filled;
	unsigned int i;
	int err;

	/* API 0.5's 40-byte structure: 96-byte elements, no death_time */
	err = key_list_into(buf, sizeof(buf), TASKLOCAL_KEY_LIST_SIZE_VER0, 0,
			    &filled);
	memcpy(&id0, buf, 8);
	memcpy(&id1, buf + v0, 8);
	tap(!err && id0 == key_v.id && id1 == key_nv.id &&
	    all_bytes(buf + 2 * v0, 64, 0x5a),
	    "KEY_LIST with API 0.5's 40-byte structure fills 96-byte elements, nothing past them");
	err = key_list_into(buf, sizeof(buf), TASKLOCAL_KEY_LIST_SIZE_VER0,
			    12345, &filled);
	tap(!err && filled == 12345,
	    "... and neither reads nor writes info_size past its end");
	err = key_list_into(buf, sizeof(buf), sizeof(struct tasklocal_key_list),
			    v0, &filled);
	memcpy(&id1, buf + v0, 8);
	tap(!err && id1 == key_nv.id && filled == v0 &&
	    all_bytes(buf + 2 * v0, 64, 0x5a),
	    "KEY_LIST with info_size 96 fills 96-byte elements, leaves info_size 96");
	err = key_list_into(buf, sizeof(buf), sizeof(struct tasklocal_key_list),
			    k + 16, &filled);
	memcpy(&id1, buf + k + 16, 8);
	tap(!err && id1 == key_nv.id && filled == k + 16 &&
	    all_bytes(buf + k, 16, 0) && all_bytes(buf + 2 * k + 16, 16, 0) &&
	    all_bytes(buf + 2 * (k + 16), 64, 0x5a),
	    "KEY_LIST with larger elements fills %zu bytes of each, zeroes the rest, leaves info_size %u (paging with it stays right)",
	    k, filled);
	for (i = TASKLOCAL_KEY_LIST_SIZE_VER0 + 1;
	     i < sizeof(struct tasklocal_key_list); i++) {
		err = key_list_into(buf, sizeof(buf), i, k, &filled);
		if (err != EINVAL)
			break;
	}
	tap(i == sizeof(struct tasklocal_key_list),
	    "KEY_LIST with a structure of 41 to 47 bytes: EINVAL");
	if (i != sizeof(struct tasklocal_key_list))
		diag("%u bytes: %s", i, errname(err));
	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		struct tasklocal_key_list kl;

		memset(buf, 0x5a, sizeof(buf));
		memset(&kl, 0, sizeof(kl));
		kl.keys = ptr(buf);
		kl.count = 2;
		kl.info_size = bad_sizes[i];
		snprintf(what, sizeof(what),
			 "KEY_LIST with an element size out of range (%u)",
			 bad_sizes[i]);
		expect(what, TASKLOCAL_IOC_KEY_LIST, &kl, EINVAL);
		if (!all_bytes(buf, sizeof(buf), 0x5a))
			diag("info_size %u: the keys' buffer was written",
			     bad_sizes[i]);
	}
}

static __u64 boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A key deleted with a value left: its death_time is when it died. */
static void test_key_list_death_time(void)
{
	struct tasklocal_key_create kc;
	struct tasklocal_key_delete kd;
	struct tasklocal_key_list kl;
	struct tasklocal_key_info info;
	struct tasklocal_clear c;
	struct tasklocal_value v;
	__u64 t0, t1;
	int err;

	setup_key(&kc, "abi.death", 0, NULL);
	v = val(kc.id, 0, "d", 1);
	err = xioctl(TASKLOCAL_IOC_SET, &v);
	memset(&kd, 0, sizeof(kd));
	kd.id = kc.id;
	t0 = boottime_ns();
	err = err ?: xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	t1 = boottime_ns();
	memset(&info, 0, sizeof(info));
	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr(&info);
	kl.count = 1;
	kl.start_id = kc.id;
	kl.info_size = sizeof(info);
	err = err ?: xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
	tap(!err && kl.count == 1 && info.id == kc.id &&
	    (info.flags & TASKLOCAL_KEY_DEAD) && info.entries == 1 &&
	    info.death_time >= t0 && info.death_time <= t1,
	    "KEY_LIST: a deleted key's death_time is the time of its KEY_DELETE (CLOCK_BOOTTIME)");
	if (err)
		diag("got %s", errname(err));
	/* its stale entry goes: the key leaves the list */
	memset(&c, 0, sizeof(c));
	c.flags = TASKLOCAL_CLEAR_KEY;
	c.key_id = kc.id;
	xioctl(TASKLOCAL_IOC_CLEAR, &c);
}

static void test_key_list(void)
{
	struct tasklocal_key_info info[2];
	struct tasklocal_key_list kl;
	int err;

	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr(info);
	kl.count = 2;
	kl.info_size = sizeof(info[0]);
	kl.reserved = 1;
	expect("KEY_LIST with reserved set", TASKLOCAL_IOC_KEY_LIST, &kl,
	       EINVAL);
	kl.reserved = 0;
	kl.reserved1 = 1;
	expect("KEY_LIST with reserved1 set", TASKLOCAL_IOC_KEY_LIST, &kl,
	       EINVAL);
	memset(&kl, 0, sizeof(kl));
	kl.keys = BAD_PTR;
	kl.count = 2;
	kl.info_size = sizeof(info[0]);
	expect("KEY_LIST into a bad pointer", TASKLOCAL_IOC_KEY_LIST, &kl,
	       EFAULT);
	expect("KEY_LIST from a bad pointer", TASKLOCAL_IOC_KEY_LIST,
	       (void *)BAD_PTR, EFAULT);
	memset(&kl, 0, sizeof(kl));
	kl.info_size = sizeof(info[0]);
	err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
	tap(!err && kl.count == 0 && kl.total >= 4,
	    "KEY_LIST with no room reports the total (%u)", kl.total);
	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr(info);
	kl.count = 1;
	kl.start_id = key_v.id;
	kl.info_size = sizeof(info[0]);
	err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
	tap(!err && kl.count == 1 && info[0].id == key_v.id &&
	    kl.next_id > key_v.id && info[0].mode == TASKLOCAL_PERM_DEFAULT &&
	    !info[0].death_time,
	    "KEY_LIST pages: one key from start_id, next_id after it, default mode, no death_time");
	snap_take(&before);
	tap(!before.keys_err && before.nr_keys == kl.total,
	    "KEY_LIST paging sees all %u keys", kl.total);
	kl.keys = ptr(info);
	kl.count = 2;
	kl.start_id = 0x7ffffff0;	/* past every id there is */
	kl.next_id = 1;
	err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
	tap(!err && kl.count == 0 && kl.next_id == 0 &&
	    kl.total == before.nr_keys,
	    "KEY_LIST from past the last id: no key, next_id 0, the total still all %zu",
	    before.nr_keys);
	kl.start_id = 1ULL << 40;
	kl.count = 2;
	err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
	tap(!err && kl.count == 0 && kl.next_id == 0,
	    "KEY_LIST from an id over 32 bits: no key, next_id 0");
	test_key_list_sizes();
	test_key_list_death_time();
}

static void key_list_one(__u64 id, struct tasklocal_key_info *info)
{
	struct tasklocal_key_list kl;

	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr(info);
	kl.count = 1;
	kl.start_id = id;
	kl.info_size = sizeof(*info);
	if (xioctl(TASKLOCAL_IOC_KEY_LIST, &kl) || kl.count != 1)
		memset(info, 0, sizeof(*info));
}

static void kf_init(struct tasklocal_key_find *kf, const char *name,
		    void *info, __u32 info_size)
{
	memset(kf, 0, sizeof(*kf));
	name_set(kf->name, name, strlen(name));
	kf->info = ptr(info);
	kf->info_size = info_size;
}

/* KEY_FIND (0.7): one key by name, described as KEY_LIST describes it. */
static void test_key_find(void)
{
	static const __u32 bad_sizes[] = {
		0, 8, TASKLOCAL_KEY_INFO_SIZE_VER0 - 8,
		TASKLOCAL_KEY_INFO_SIZE_VER0 + 4, TASKLOCAL_KEY_INFO_SIZE_MAX + 8,
	};
	unsigned char buf[sizeof(struct tasklocal_key_info) + 16];
	struct tasklocal_key_info info, listed;
	struct tasklocal_key_create gone;
	struct tasklocal_key_delete kd;
	struct tasklocal_key_find kf;
	char name[TASKLOCAL_NAME_MAX];
	unsigned int i;
	int err;

	tap(ver.features & TASKLOCAL_FEATURE_KEY_FIND,
	    "VERSION reports TASKLOCAL_FEATURE_KEY_FIND");
	memset(&info, 0x5a, sizeof(info));
	kf_init(&kf, "abi.init", &info, sizeof(info));
	err = xioctl(TASKLOCAL_IOC_KEY_FIND, &kf);
	memset(&listed, 0, sizeof(listed));
	key_list_one(key_init.id, &listed);
	tap(!err && info.id == key_init.id && !memcmp(&info, &listed,
						      sizeof(info)),
	    "KEY_FIND abi.init: the key KEY_LIST describes, the same bytes");
	if (err)
		diag("got %s", errname(err));
	kf_init(&kf, "abi.fd", &info, sizeof(info));
	err = xioctl(TASKLOCAL_IOC_KEY_FIND, &kf);
	tap(!err && info.id == key_fd.id && info.flags & TASKLOCAL_KEY_FD,
	    "KEY_FIND of a named fd-owned key");
	memset(buf, 0x5a, sizeof(buf));
	kf_init(&kf, "abi.v", buf, TASKLOCAL_KEY_INFO_SIZE_VER0);
	err = xioctl(TASKLOCAL_IOC_KEY_FIND, &kf);
	memcpy(&info, buf, sizeof(info));
	tap(!err && info.id == key_v.id &&
	    all_bytes(buf + TASKLOCAL_KEY_INFO_SIZE_VER0, sizeof(buf) -
		      TASKLOCAL_KEY_INFO_SIZE_VER0, 0x5a),
	    "KEY_FIND into a 96-byte element writes 96 bytes");
	memset(buf, 0x5a, sizeof(buf));
	kf_init(&kf, "abi.v", buf, sizeof(info) + 8);
	err = xioctl(TASKLOCAL_IOC_KEY_FIND, &kf);
	tap(!err && all_bytes(buf + sizeof(info), 8, 0) &&
	    all_bytes(buf + sizeof(info) + 8, 8, 0x5a),
	    "KEY_FIND into a larger element zeroes its tail, and no more");

	kf_init(&kf, "abi.nosuch", &info, sizeof(info));
	expect("KEY_FIND of a name no key has", TASKLOCAL_IOC_KEY_FIND, &kf,
	       ENOENT);
	setup_key(&gone, "abi.gone", 0, NULL);
	memset(&kd, 0, sizeof(kd));
	kd.id = gone.id;
	err = xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	kf_init(&kf, "abi.gone", &info, sizeof(info));
	tap(!err && xioctl(TASKLOCAL_IOC_KEY_FIND, &kf) == ENOENT,
	    "KEY_FIND of a deleted key's name: ENOENT");
	kf_init(&kf, "", &info, sizeof(info));
	expect("KEY_FIND of the empty name", TASKLOCAL_IOC_KEY_FIND, &kf,
	       EINVAL);
	kf_init(&kf, "abi v", &info, sizeof(info));
	expect("KEY_FIND of a name with a blank", TASKLOCAL_IOC_KEY_FIND,
	       &kf, EINVAL);
	memset(name, 'a', sizeof(name));
	kf_init(&kf, "", &info, sizeof(info));
	memcpy(kf.name, name, sizeof(name));
	expect("KEY_FIND of an unterminated name", TASKLOCAL_IOC_KEY_FIND,
	       &kf, EINVAL);
	kf_init(&kf, "abi.v", &info, sizeof(info));
	((char *)kf.name)[40] = 'x';
	expect("KEY_FIND of a name with bytes after its NUL",
	       TASKLOCAL_IOC_KEY_FIND, &kf, EINVAL);
	kf_init(&kf, "abi.v", &info, sizeof(info));
	kf.flags = 1;
	expect("KEY_FIND with flags set", TASKLOCAL_IOC_KEY_FIND, &kf, EINVAL);
	kf.flags = 0;
	kf.reserved = 1;
	expect("KEY_FIND with reserved set", TASKLOCAL_IOC_KEY_FIND, &kf,
	       EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		memset(buf, 0x5a, sizeof(buf));
		kf_init(&kf, "abi.v", buf, bad_sizes[i]);
		err = xioctl(TASKLOCAL_IOC_KEY_FIND, &kf);
		if (err != EINVAL || !all_bytes(buf, sizeof(buf), 0x5a))
			break;
	}
	tap(i == ARRAY_SIZE(bad_sizes),
	    "KEY_FIND with %zu element sizes out of range: EINVAL, nothing written",
	    ARRAY_SIZE(bad_sizes));
	kf_init(&kf, "abi.v", (void *)BAD_PTR, sizeof(info));
	expect("KEY_FIND into a bad pointer", TASKLOCAL_IOC_KEY_FIND, &kf,
	       EFAULT);
	expect("KEY_FIND from a bad pointer", TASKLOCAL_IOC_KEY_FIND,
	       (void *)BAD_PTR, EFAULT);
}

static void test_set(void)
{
	struct tasklocal_value v;
	char *big;

	v = val(key_nv.id, 1U << 5, "x", 1);
	expect("SET with an unknown flag", TASKLOCAL_IOC_SET, &v, EINVAL);
	v = val(key_nv.id, TASKLOCAL_GET_INITIAL, "x", 1);
	expect("SET with GET's report-only flag", TASKLOCAL_IOC_SET, &v,
	       EINVAL);
	v = val(key_nv.id, 0, "x", 1);
	v.reserved = 1;
	expect("SET with reserved set", TASKLOCAL_IOC_SET, &v, EINVAL);
	big = calloc(1, ver.max_value_size + 1);
	v = val(key_nv.id, 0, big, ver.max_value_size + 1);
	expect("SET of a value over max_value_size", TASKLOCAL_IOC_SET, &v,
	       E2BIG);
	free(big);
	v = val(key_nv.id, 0, (void *)BAD_PTR, 4);
	expect("SET from a bad value pointer", TASKLOCAL_IOC_SET, &v, EFAULT);
	v = val(0x7ffffff0, 0, "x", 1);
	expect("SET of an unknown key", TASKLOCAL_IOC_SET, &v, ENOENT);
	v = val(key_nv.id, TASKLOCAL_SET_MASK, "x", 1);
	expect("SET with both CREATE and REPLACE", TASKLOCAL_IOC_SET, &v,
	       EINVAL);
	v = val(key_v.id, TASKLOCAL_SET_CREATE, "x", 1);
	expect("SET CREATE over an existing value", TASKLOCAL_IOC_SET, &v,
	       EEXIST);
	v = val(key_nv.id, TASKLOCAL_SET_REPLACE, "x", 1);
	expect("SET REPLACE with no value", TASKLOCAL_IOC_SET, &v, ENOENT);
	expect("SET from a bad pointer", TASKLOCAL_IOC_SET, (void *)BAD_PTR,
	       EFAULT);
}

static void test_get(void)
{
	struct tasklocal_value v;
	char buf[8];
	int err;

	v = val(key_v.id, 1, buf, sizeof(buf));
	expect("GET with flags set", TASKLOCAL_IOC_GET, &v, EINVAL);
	v = val(key_v.id, 0, buf, sizeof(buf));
	v.reserved = 1;
	expect("GET with reserved set", TASKLOCAL_IOC_GET, &v, EINVAL);
	v = val(key_v.id, 0, buf, 1);
	expect("GET into too small a buffer", TASKLOCAL_IOC_GET, &v, ERANGE);
	tap(v.len == 2, "GET: ERANGE sets len to the room needed (%u)", v.len);
	v = val(key_nv.id, 0, buf, sizeof(buf));
	expect("GET with no value and no initial value", TASKLOCAL_IOC_GET,
	       &v, ENODATA);
	v = val(key_v.id, 0, (void *)BAD_PTR, 8);
	expect("GET into a bad value pointer", TASKLOCAL_IOC_GET, &v, EFAULT);
	v = val(0x7ffffff0, 0, buf, sizeof(buf));
	expect("GET of an unknown key", TASKLOCAL_IOC_GET, &v, ENOENT);
	expect("GET from a bad pointer", TASKLOCAL_IOC_GET, (void *)BAD_PTR,
	       EFAULT);
	memset(buf, 0, sizeof(buf));
	v = val(key_v.id, 0, buf, sizeof(buf));
	err = xioctl(TASKLOCAL_IOC_GET, &v);
	tap(!err && v.len == 2 && !memcmp(buf, "v1", 2) && !v.flags,
	    "GET returns the value set, its length, no flags");
}

static void test_remove_clear(void)
{
	struct tasklocal_clear c;
	struct tasklocal_value v;

	v = val(key_v.id, 1, NULL, 0);
	expect("REMOVE with flags set", TASKLOCAL_IOC_REMOVE, &v, EINVAL);
	v = val(key_v.id, 0, NULL, 0);
	v.reserved = 1;
	expect("REMOVE with reserved set", TASKLOCAL_IOC_REMOVE, &v, EINVAL);
	v = val(key_nv.id, 0, NULL, 0);
	expect("REMOVE with no value", TASKLOCAL_IOC_REMOVE, &v, ENODATA);
	v = val(0x7ffffff0, 0, NULL, 0);
	expect("REMOVE of an unknown key", TASKLOCAL_IOC_REMOVE, &v, ENOENT);
	expect("REMOVE from a bad pointer", TASKLOCAL_IOC_REMOVE,
	       (void *)BAD_PTR, EFAULT);
	memset(&c, 0, sizeof(c));
	c.flags = 1U << 9;
	expect("CLEAR with an unknown flag", TASKLOCAL_IOC_CLEAR, &c, EINVAL);
	c.flags = TASKLOCAL_CLEAR_PID | TASKLOCAL_CLEAR_PIDFD;
	c.target = getpid();
	expect("CLEAR by pid and pidfd at once", TASKLOCAL_IOC_CLEAR, &c,
	       EINVAL);
	c.flags = 0;
	expect("CLEAR of the caller's table with a target",
	       TASKLOCAL_IOC_CLEAR, &c, EINVAL);
	c.target = 0;
	c.key_id = key_v.id;
	expect("CLEAR with a key id but not TASKLOCAL_CLEAR_KEY",
	       TASKLOCAL_IOC_CLEAR, &c, EINVAL);
	c.key_id = 0;
	c.reserved = 1;
	expect("CLEAR with reserved set", TASKLOCAL_IOC_CLEAR, &c, EINVAL);
	c.reserved = 0;
	c.flags = TASKLOCAL_CLEAR_PID;
	expect("CLEAR by pid 0", TASKLOCAL_IOC_CLEAR, &c, ESRCH);
	c.target = 0x7fffffff;
	expect("CLEAR by a pid no task has", TASKLOCAL_IOC_CLEAR, &c, ESRCH);
	c.flags = TASKLOCAL_CLEAR_PIDFD;
	c.target = dev;
	expect("CLEAR by a pidfd that is /dev/tasklocal", TASKLOCAL_IOC_CLEAR,
	       &c, EBADF);
	c.flags = TASKLOCAL_CLEAR_KEY;
	c.target = 0;
	c.key_id = 0x7ffffff0;
	expect("CLEAR of an unknown key's entry", TASKLOCAL_IOC_CLEAR, &c,
	       ENOENT);
	expect("CLEAR from a bad pointer", TASKLOCAL_IOC_CLEAR,
	       (void *)BAD_PTR, EFAULT);
	{
		/* API 0.4's structure: 8 bytes, flags and removed */
		__u32 old[2] = { 1U << 9, 0 };
		__u32 tiny = 0;

		expect("CLEAR with API 0.4's 8-byte structure is read (unknown flag)",
		       _IOWR(TASKLOCAL_IOC_MAGIC, _IOC_NR(TASKLOCAL_IOC_CLEAR),
			     old), old, EINVAL);
		expect("CLEAR with a 4-byte structure",
		       _IOWR(TASKLOCAL_IOC_MAGIC, _IOC_NR(TASKLOCAL_IOC_CLEAR),
			     tiny), &tiny, EINVAL);
	}
}

static void dump_init(struct tasklocal_table_dump *d, __u32 flags,
		      int target, struct tasklocal_slot *slots, __u32 nr)
{
	memset(d, 0, sizeof(*d));
	d->flags = flags;
	d->target = target;
	d->slots = ptr(slots);
	d->nr_slots = nr;
}

static void test_dump_flags(void)
{
	struct tasklocal_slot slots[4];
	struct tasklocal_table_dump d;

	dump_init(&d, 1U << 9, 0, slots, 4);
	expect("TABLE_DUMP with an unknown flag", TASKLOCAL_IOC_TABLE_DUMP,
	       &d, EINVAL);
	dump_init(&d, TASKLOCAL_DUMP_PID | TASKLOCAL_DUMP_PIDFD, getpid(),
		  slots, 4);
	expect("TABLE_DUMP with both PID and PIDFD", TASKLOCAL_IOC_TABLE_DUMP,
	       &d, EINVAL);
	dump_init(&d, 0, 0, slots, 4);
	d.reserved0 = 1;
	expect("TABLE_DUMP with reserved0 set", TASKLOCAL_IOC_TABLE_DUMP, &d,
	       EINVAL);
	dump_init(&d, 0, 0, slots, 4);
	d.reserved[1] = 1;
	expect("TABLE_DUMP with reserved[1] set", TASKLOCAL_IOC_TABLE_DUMP,
	       &d, EINVAL);
	dump_init(&d, 0, 0, (void *)BAD_PTR, 4);
	expect("TABLE_DUMP into a bad slots pointer",
	       TASKLOCAL_IOC_TABLE_DUMP, &d, EFAULT);
	expect("TABLE_DUMP from a bad pointer", TASKLOCAL_IOC_TABLE_DUMP,
	       (void *)BAD_PTR, EFAULT);
}

static void test_dump_room(void)
{
	struct tasklocal_slot slots[4];
	struct tasklocal_table_dump d;
	char small[1];
	int err;

	dump_init(&d, 0, 0, slots, 0);
	expect("TABLE_DUMP with no room for the slots",
	       TASKLOCAL_IOC_TABLE_DUMP, &d, ERANGE);
	tap(d.nr_slots == 1, "TABLE_DUMP: ERANGE sets nr_slots to the room needed (%u)",
	    d.nr_slots);
	dump_init(&d, TASKLOCAL_DUMP_VALUES, 0, slots, 4);
	d.values = ptr(small);
	d.values_len = sizeof(small);
	err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
	tap(!err && d.nr_slots == 1 &&
	    (slots[0].flags & TASKLOCAL_SLOT_TRUNCATED) && slots[0].value_len == 2,
	    "TABLE_DUMP: value bytes that do not fit are flagged TRUNCATED");
	dump_init(&d, 0, 0, slots, 4);
	err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
	tap(!err && d.pid == (__u32)getpid() && d.len == ver.map_initial_len &&
	    d.size == 1 && d.nr_slots == 1 && slots[0].key_id == key_v.id &&
	    slots[0].home == (key_v.hash & (d.len - 1)) &&
	    slots[0].index == slots[0].home,
	    "TABLE_DUMP of this task: one entry, in its home slot");
}

static void test_dump_target(void)
{
	struct tasklocal_slot slots[4];
	struct tasklocal_table_dump d;
	int pidfd, null;
	pid_t child;

	dump_init(&d, TASKLOCAL_DUMP_PID, 0x3ffffff0, slots, 4);
	expect("TABLE_DUMP of no such pid", TASKLOCAL_IOC_TABLE_DUMP, &d,
	       ESRCH);
	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	dump_init(&d, TASKLOCAL_DUMP_PID, child, slots, 4);
	expect("TABLE_DUMP of a task without a table",
	       TASKLOCAL_IOC_TABLE_DUMP, &d, ENODATA);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (!(ver.features & TASKLOCAL_FEATURE_PIDFD)) {
		tap(true, "TABLE_DUMP by pidfd # SKIP no TASKLOCAL_FEATURE_PIDFD");
		return;
	}
	null = open("/dev/null", O_RDONLY);
	dump_init(&d, TASKLOCAL_DUMP_PIDFD, null, slots, 4);
	expect("TABLE_DUMP of an fd that is not a pidfd",
	       TASKLOCAL_IOC_TABLE_DUMP, &d, EBADF);
	close(null);
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	dump_init(&d, TASKLOCAL_DUMP_PIDFD, pidfd, slots, 4);
	tap(pidfd >= 0 && !xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d) &&
	    d.pid == (__u32)getpid() && d.nr_slots == 1,
	    "TABLE_DUMP by pidfd reads that task's table");
	close(pidfd);
}

static void test_table_list_stats(void)
{
	struct tasklocal_task_info tasks[4];
	struct tasklocal_table_list tl;
	struct tasklocal_stats st;
	int err;

	memset(&tl, 0, sizeof(tl));
	tl.tasks = ptr(tasks);
	tl.count = 4;
	tl.flags = 1;
	expect("TABLE_LIST with flags set", TASKLOCAL_IOC_TABLE_LIST, &tl,
	       EINVAL);
	tl.flags = 0;
	tl.reserved = 1;
	expect("TABLE_LIST with reserved set", TASKLOCAL_IOC_TABLE_LIST, &tl,
	       EINVAL);
	tl.reserved = 0;
	tl.tasks = BAD_PTR;
	expect("TABLE_LIST into a bad pointer", TASKLOCAL_IOC_TABLE_LIST, &tl,
	       EFAULT);
	expect("TABLE_LIST from a bad pointer", TASKLOCAL_IOC_TABLE_LIST,
	       (void *)BAD_PTR, EFAULT);
	memset(&tl, 0, sizeof(tl));
	err = xioctl(TASKLOCAL_IOC_TABLE_LIST, &tl);
	tap(!err && tl.count == 0 && tl.total >= 1,
	    "TABLE_LIST with no room reports the total (%u)", tl.total);
	expect("STATS to a bad pointer", TASKLOCAL_IOC_STATS, (void *)BAD_PTR,
	       EFAULT);
	memset(&st, 0, sizeof(st));
	err = xioctl(TASKLOCAL_IOC_STATS, &st);
	tap(!err && st.tables >= 1 && st.entries >= 1 && st.keys >= 4,
	    "STATS counts this task's table, entry and keys");
}

static void test_unknown(void)
{
	const unsigned long unknown = _IOWR(TASKLOCAL_IOC_MAGIC, 0x7f,
					    struct tasklocal_key_create);
	struct tasklocal_key_create kc;
	__u64 word = 0;

	kc_init(&kc, "abi.x", 0);
	expect("an unknown command number", unknown, &kc, ENOTTY);
	expect("another magic", _IOWR(0xB8, 0x01, struct tasklocal_key_create),
	       &kc, ENOTTY);
	expect("KEY_CREATE's number and direction, a smaller size",
	       _IOWR(TASKLOCAL_IOC_MAGIC, 0x01, __u64), &word, EINVAL);
	expect("KEY_CREATE's number and size, write-only",
	       _IOW(TASKLOCAL_IOC_MAGIC, 0x01, struct tasklocal_key_create),
	       &kc, ENOTTY);
	expect("VERSION's number with no direction", _IO(TASKLOCAL_IOC_MAGIC, 0),
	       NULL, ENOTTY);
}

/* A newer caller's bigger structure: fine while its extra bytes are zero. */
static void test_grown(void)
{
	struct {
		struct tasklocal_key_list kl;
		__u64 more;
	} big;
	const unsigned long cmd = _IOWR(TASKLOCAL_IOC_MAGIC, 0x03, big);
	int err;

	memset(&big, 0, sizeof(big));
	big.kl.info_size = sizeof(struct tasklocal_key_info);
	err = xioctl(cmd, &big);
	tap(!err && big.kl.total >= 3,
	    "KEY_LIST with a grown structure, zero at its end, works");
	memset(&big, 0, sizeof(big));
	big.kl.info_size = sizeof(struct tasklocal_key_info);
	big.more = 1;
	expect("KEY_LIST with a grown structure, non-zero at its end", cmd,
	       &big, E2BIG);
}

/* Calls that change things, last: an initial value, a dead key, clear. */
static void test_changes(void)
{
	struct tasklocal_key_delete kd;
	struct tasklocal_clear c;
	struct tasklocal_value v;
	char buf[8] = "";
	int err;

	v = val(key_init.id, 0, buf, sizeof(buf));
	err = xioctl(TASKLOCAL_IOC_GET, &v);
	tap(!err && v.len == 4 && !memcmp(buf, "init", 4) &&
	    (v.flags & TASKLOCAL_GET_INITIAL),
	    "GET of a key with an initial value stores it, flags GET_INITIAL");
	v = val(key_init.id, 0, buf, sizeof(buf));
	err = xioctl(TASKLOCAL_IOC_GET, &v);
	tap(!err && v.len == 4 && !v.flags,
	    "GET again finds the stored value, no GET_INITIAL");
	close(key_fd.fd);
	memset(&kd, 0, sizeof(kd));
	kd.id = key_fd.id;
	err = xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	tap(err == ENOENT, "closing an fd-owned key's fd kills it (%s)",
	    errname(err));
	v = val(key_fd.id, 0, "x", 1);
	err = xioctl(TASKLOCAL_IOC_SET, &v);
	tap(err == ENOENT, "SET of a dead key: ENOENT (%s)", errname(err));
	memset(&c, 0, sizeof(c));
	c.flags = TASKLOCAL_CLEAR_KEY;
	c.key_id = key_init.id;
	err = xioctl(TASKLOCAL_IOC_CLEAR, &c);
	tap(!err && c.removed == 1,
	    "CLEAR of one key removes its entry alone (%u)", c.removed);
	{
		/*
		 * API 0.4's structure, 8 bytes: programs built then still
		 * work, and nothing past its end is written
		 */
		struct {
			__u32 flags, removed;
			unsigned char guard[16];
		} old = { 0, 99, { 0 } };
		unsigned char guard[16];

		memset(old.guard, 0x5a, sizeof(old.guard));
		memset(guard, 0x5a, sizeof(guard));
		err = xioctl(_IOC(_IOC_READ | _IOC_WRITE, TASKLOCAL_IOC_MAGIC,
				  _IOC_NR(TASKLOCAL_IOC_CLEAR),
				  TASKLOCAL_CLEAR_SIZE_VER0), &old);
		tap(!err && old.removed == 1 &&
		    !memcmp(old.guard, guard, sizeof(guard)),
		    "CLEAR with API 0.4's 8-byte structure removes the last entry (%u), writes 8 bytes",
		    old.removed);
	}
}

static void cleanup(void)
{
	struct tasklocal_key_delete kd;

	memset(&kd, 0, sizeof(kd));
	kd.id = key_v.id;
	xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	kd.id = key_nv.id;
	xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	kd.id = key_init.id;
	xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
}

/*
 * Fault injection over every command: for n = 1 to FAIL_NTH_MAX, make
 * the n-th allocation of the call fail (/proc/thread-self/fail-nth, where
 * the kernel has fault injection). Every failure must be ENOMEM and leave
 * the key list and this task's table exactly as they were.
 */
#define FAIL_NTH_MAX	16

static int fail_nth_fd = -1;

static void fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		diag("fail-nth %u: %s", n, strerror(errno));
}

/* What a case calls: its command and structure, made anew each time. */
struct nth_case {
	const char *what;
	bool allocates;			/* so n = 1 must fail */
	unsigned long cmd;
	void (*prepare)(void);		/* once, in the child, before */
	void (*arg)(void *buf);		/* fills the structure */
	void (*undo)(void *buf);	/* after the call succeeded */
};

static char nth_big[3000];

static void nth_arg_create(void *buf)
{
	struct tasklocal_key_create *kc = buf;

	kc_init(kc, "abi.nth", 0);
	kc->initial = ptr("initial value");
	kc->initial_len = 13;
}

static void nth_arg_create_fd(void *buf)
{
	kc_init(buf, NULL, TASKLOCAL_KEY_FD);
}

enum { NTH_FAILED_CLEANLY, NTH_BAD, NTH_SUCCEEDED };

/*
 * The caller becomes uid 1000, who owns no key: its KEY_CREATE must also
 * make that user's count (an xarray entry), which may fail too.
 */
static void nth_as_new_user(void)
{
	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) {
		diag("setresuid(1000): %s", strerror(errno));
		_exit(NTH_BAD);
	}
}

static void nth_undo_create(void *buf)
{
	struct tasklocal_key_create *kc = buf;
	struct tasklocal_key_delete kd = { .id = kc->id };

	if (kc->fd >= 0)
		close(kc->fd);
	else
		xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
}

/* Buffers are written first: no page is faulted in during a call. */
static void nth_arg_set(void *buf)
{
	memset(nth_big, 'b', sizeof(nth_big));
	*(struct tasklocal_value *)buf = val(key_v.id, 0, nth_big,
					     sizeof(nth_big));
}

static void nth_arg_get_initial(void *buf)
{
	static char room[64];

	memset(room, 0, sizeof(room));
	*(struct tasklocal_value *)buf = val(key_init.id, 0, room,
					     sizeof(room));
}

static void nth_arg_remove(void *buf)
{
	*(struct tasklocal_value *)buf = val(key_v.id, 0, NULL, 0);
}

static void nth_arg_zero(void *buf)
{
	memset(buf, 0, 512);
}

static void nth_set_v(void)
{
	struct tasklocal_value v = val(key_v.id, 0, "v", 1);

	xioctl(TASKLOCAL_IOC_SET, &v);
}

/* 9 values: the next new one grows the table from 16 to 32 slots. */
static struct tasklocal_key_create nth_keys[10];

static void nth_fill_nine(void)
{
	struct tasklocal_value v;
	char name[16];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "abi.nth%d", i);
		kc_init(&nth_keys[i], name, TASKLOCAL_KEY_FD);
		xioctl(TASKLOCAL_IOC_KEY_CREATE, &nth_keys[i]);
		if (i < 9) {
			v = val(nth_keys[i].id, 0, "x", 1);
			xioctl(TASKLOCAL_IOC_SET, &v);
		}
	}
}

static void nth_arg_set_grow(void *buf)
{
	*(struct tasklocal_value *)buf = val(nth_keys[9].id, 0, "y", 1);
}

static void nth_arg_dump(void *buf)
{
	static struct tasklocal_slot slots[64];
	static char values[4096];
	struct tasklocal_table_dump *d = buf;

	memset(slots, 0, sizeof(slots));
	memset(values, 0, sizeof(values));
	memset(d, 0, sizeof(*d));
	d->flags = TASKLOCAL_DUMP_VALUES;
	d->slots = ptr(slots);
	d->nr_slots = 64;
	d->values = ptr(values);
	d->values_len = sizeof(values);
}

static void nth_arg_list(void *buf)
{
	static struct tasklocal_task_info tasks[64];
	struct tasklocal_table_list *l = buf;

	memset(tasks, 0, sizeof(tasks));
	memset(l, 0, sizeof(*l));
	l->tasks = ptr(tasks);
	l->count = 64;
}

static void nth_arg_key_list(void *buf)
{
	static struct tasklocal_key_info keys[64];
	struct tasklocal_key_list *kl = buf;

	memset(keys, 0, sizeof(keys));
	memset(kl, 0, sizeof(*kl));
	kl->keys = ptr(keys);
	kl->count = 64;
	kl->info_size = sizeof(keys[0]);
}

static const struct nth_case nth_cases[] = {
	{ "KEY_CREATE of a named key with an initial value", true,
	  TASKLOCAL_IOC_KEY_CREATE, NULL, nth_arg_create, nth_undo_create },
	{ "KEY_CREATE of an fd-owned key", true, TASKLOCAL_IOC_KEY_CREATE,
	  NULL, nth_arg_create_fd, nth_undo_create },
	{ "KEY_CREATE by a user who has no key yet", true,
	  TASKLOCAL_IOC_KEY_CREATE, nth_as_new_user, nth_arg_create,
	  nth_undo_create },
	{ "the first SET of a task", true, TASKLOCAL_IOC_SET, NULL,
	  nth_arg_set, NULL },
	{ "SET replacing a value", true, TASKLOCAL_IOC_SET, nth_set_v,
	  nth_arg_set, NULL },
	{ "SET that grows the table", true, TASKLOCAL_IOC_SET, nth_fill_nine,
	  nth_arg_set_grow, NULL },
	{ "GET storing the initial value", true, TASKLOCAL_IOC_GET, NULL,
	  nth_arg_get_initial, NULL },
	{ "REMOVE", false, TASKLOCAL_IOC_REMOVE, nth_set_v, nth_arg_remove,
	  NULL },
	{ "CLEAR", false, TASKLOCAL_IOC_CLEAR, nth_set_v, nth_arg_zero, NULL },
	{ "TABLE_DUMP with values", true, TASKLOCAL_IOC_TABLE_DUMP, nth_set_v,
	  nth_arg_dump, NULL },
	{ "TABLE_LIST", true, TASKLOCAL_IOC_TABLE_LIST, nth_set_v,
	  nth_arg_list, NULL },
	/* its buffer may come from vmalloc when kmalloc fails */
	{ "KEY_LIST", false, TASKLOCAL_IOC_KEY_LIST, NULL, nth_arg_key_list,
	  NULL },
	{ "STATS", false, TASKLOCAL_IOC_STATS, nth_set_v, nth_arg_zero, NULL },
};

/*
 * In a child of its own: the case's call with its @n-th allocation
 * failed. Each n needs a fresh child: an allocation the kernel may fail
 * quietly (kmemleak's own, or kvmalloc() falling back to vmalloc) lets a
 * call succeed at one n and still fail at a later one.
 */
static int nth_case_run(const struct nth_case *c, unsigned int n)
{
	unsigned char buf[512];
	int err;

	if (c->prepare)
		c->prepare();
	c->arg(buf);
	snap_take(&before);
	fail_nth(n);
	err = xioctl(c->cmd, buf);
	fail_nth(0);
	if (!err) {
		if (c->undo)
			c->undo(buf);
		return NTH_SUCCEEDED;
	}
	snap_take(&after);
	if (err == ENOMEM && snap_equal(&before, &after))
		return NTH_FAILED_CLEANLY;
	diag("%s, allocation %u failed: %s%s", c->what, n, errname(err),
	     snap_equal(&before, &after) ? "" :
	     ", and the key list or the table changed");
	return NTH_BAD;
}

/*
 * Until the key list is again what it was before the case: the keys a
 * child left dead (its fds closed), the entries of its table released.
 * Both happen after the child is reaped: a table is emptied by a worker,
 * and an entry lets go of its key after an RCU grace period.
 */
static struct snap baseline;

static bool keys_equal(const struct snap *a, const struct snap *b)
{
	return !a->keys_err && !b->keys_err && a->nr_keys == b->nr_keys &&
	       !memcmp(a->keys, b->keys, a->nr_keys * sizeof(*a->keys));
}

static void nth_settle(void)
{
	int i;

	for (i = 0; i < 500; i++) {
		snap_keys(&after);
		if (keys_equal(&after, &baseline))
			return;
		usleep(10000);
	}
	diag("the key list is not back to what it was 5 s after a child exited");
}

static int main_fail_nth(void)
{
	unsigned int i, n, cleanly, bad;
	int status, rc;
	pid_t pid;

	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0) {
		diag("no /proc/thread-self/fail-nth (%s): this kernel has no fault injection",
		     strerror(errno));
		printf("1..0\n");
		return 0;
	}
	setup();
	snap_keys(&baseline);
	for (i = 0; i < ARRAY_SIZE(nth_cases); i++) {
		cleanly = 0;
		bad = 0;
		for (n = 1; n <= FAIL_NTH_MAX; n++) {
			fflush(stdout);
			pid = fork();
			if (pid == 0) {
				fail_nth_fd = open("/proc/thread-self/fail-nth",
						   O_RDWR | O_CLOEXEC);
				rc = nth_case_run(&nth_cases[i], n);
				fflush(stdout);	/* its diagnostics */
				_exit(rc);
			}
			status = -1;
			if (pid > 0)
				waitpid(pid, &status, 0);
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : NTH_BAD;
			if (rc == NTH_FAILED_CLEANLY)
				cleanly++;
			else if (rc != NTH_SUCCEEDED)
				bad++;
			nth_settle();
		}
		diag("%s: %u of %u failure points failed the call", nth_cases[i].what,
		     cleanly + bad, FAIL_NTH_MAX);
		if (nth_cases[i].allocates && !cleanly && !bad)
			diag("%s allocates, yet no call failed: see failslab's ignore-gfp-wait",
			     nth_cases[i].what);
		tap(!bad && (cleanly || !nth_cases[i].allocates),
		    "fail-nth over %s: each failure ENOMEM, nothing changed",
		    nth_cases[i].what);
	}
	cleanup();
	return tap_end();
}

int main(int argc, char **argv)
{
	dev = dev_open();
	if (dev < 0)
		return 1;
	if (argc > 1 && !strcmp(argv[1], "fail-nth"))
		return main_fail_nth();
	setup();
	test_version();
	test_key_create();
	test_key_hashes();
	test_key_delete();
	test_key_list();
	test_key_find();
	test_set();
	test_get();
	test_remove_clear();
	test_dump_flags();
	test_dump_room();
	test_dump_target();
	test_table_list_stats();
	test_unknown();
	test_grown();
	test_changes();
	cleanup();
	return tap_end();
}
