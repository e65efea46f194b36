/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tap.h: what the static test programs of tools/testing/ (abi-test,
 * hostile, fuzz, stress, limits) share: TAP lines and diagnostics, errno
 * names, and raw ioctls on /dev/tasklocal. Each program is a single file
 * that includes this once; everything here is static, so what a program
 * does not use costs it nothing.
 *
 * A program may define before the #include:
 *   TAP_DIAG_PREFIX   what diag() starts each line with (default "# ")
 *   TAP_SUCCESS_NAME  what errname() calls 0 (default "success")
 */
#ifndef TASKLOCAL_TESTING_TAP_H
#define TASKLOCAL_TESTING_TAP_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/tasklocal.h>
#include <linux/types.h>

#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#ifndef TAP_DIAG_PREFIX
#define TAP_DIAG_PREFIX		"# "
#endif

#ifndef TAP_SUCCESS_NAME
#define TAP_SUCCESS_NAME	"success"
#endif

/* The slots dump_self() has room for. */
#define DUMP_SLOTS	64

/* TAP */

/* The TAP lines tap() printed, and how many of them were "not ok". */
static int nr_tests, nr_failed;

/*
 * One TAP line, "ok N - ..." or "not ok N - ...". Flushed at once, as
 * diag()'s lines are: a crash loses none of them, and a child forked
 * later does not print them again.
 */
static inline void __printf(2, 3) tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	nr_tests++;
	if (!ok)
		nr_failed++;
	printf("%sok %d - ", ok ? "" : "not ", nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A diagnostic line: "# ..." (or TAP_DIAG_PREFIX "..."). */
static inline void __printf(1, 2) diag(const char *fmt, ...)
{
	va_list ap;

	fputs(TAP_DIAG_PREFIX, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The plan line "1..N", last; then the exit status: 1 if a line failed. */
static inline int tap_end(void)
{
	printf("1..%d\n", nr_tests);
	return nr_failed ? 1 : 0;
}

/* Errnos */

/* The errnos the programs name; any other is "errno N". */
static const struct tap_errname {
	int err;
	const char *name;
} tap_errnames[] = {
	{ 0, TAP_SUCCESS_NAME }, { EINVAL, "EINVAL" }, { ENOENT, "ENOENT" },
	{ EEXIST, "EEXIST" }, { E2BIG, "E2BIG" }, { EFAULT, "EFAULT" },
	{ EPERM, "EPERM" }, { ENODATA, "ENODATA" }, { ERANGE, "ERANGE" },
	{ ESRCH, "ESRCH" }, { EBADF, "EBADF" }, { ENOTTY, "ENOTTY" },
	{ ENOSPC, "ENOSPC" }, { EDQUOT, "EDQUOT" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EMFILE, "EMFILE" }, { ENFILE, "ENFILE" },
	{ EBUSY, "EBUSY" }, { EAGAIN, "EAGAIN" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ EOVERFLOW, "EOVERFLOW" }, { ECHILD, "ECHILD" },
};

/*
 * @err's name, or "errno N" in a buffer of the calling thread's own
 * (hostile and stress call it from several threads).
 */
static inline const char *errname(int err)
{
	static __thread char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tap_errnames); i++)
		if (tap_errnames[i].err == err)
			return tap_errnames[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* @got is @want, or a diagnostic says what it was. */
static inline bool want_err(const char *what, int got, int want)
{
	if (got == want)
		return true;
	diag("%s: got %s, want %s", what, errname(got), errname(want));
	return false;
}

/* The device */

/* /dev/tasklocal, as main() opened it: what xioctl() calls. */
static int dev;

/* /dev/tasklocal opened anew; or -1, and a "Bail out!" line says why. */
static inline int dev_open(void)
{
	int fd = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		printf("Bail out! cannot open %s: %s\n", TASKLOCAL_DEVICE,
		       strerror(errno));
	return fd;
}

/* A pointer as the ABI's structures carry it. */
static inline __u64 ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/* ioctl @cmd on dev: 0, or the errno it failed with. */
static inline int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(dev, cmd, arg) < 0 ? errno : 0;
}

/* The calls below return what xioctl() does. */

static inline int key_delete(__u64 id)
{
	struct tasklocal_key_delete kd = { .id = id };

	return xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
}

static inline int vset(__u64 id, __u32 flags, const void *buf, __u32 len)
{
	struct tasklocal_value v = {
		.key_id = id, .flags = flags, .len = len, .value = ptr(buf),
	};

	return xioctl(TASKLOCAL_IOC_SET, &v);
}

/* GET into @buf of *@len bytes; *@len and *@flags (unless NULL) are set. */
static inline int vget(__u64 id, void *buf, __u32 *len, __u32 *flags)
{
	struct tasklocal_value v = {
		.key_id = id, .len = *len, .value = ptr(buf),
	};
	int err = xioctl(TASKLOCAL_IOC_GET, &v);

	*len = v.len;
	if (flags)
		*flags = v.flags;
	return err;
}

static inline int vremove(__u64 id)
{
	struct tasklocal_value v = { .key_id = id };

	return xioctl(TASKLOCAL_IOC_REMOVE, &v);
}

/* This task's table, into DUMP_SLOTS @slots; ENODATA if it has none. */
static inline int dump_self(struct tasklocal_table_dump *d,
			    struct tasklocal_slot *slots)
{
	memset(d, 0, sizeof(*d));
	d->slots = ptr(slots);
	d->nr_slots = DUMP_SLOTS;
	return xioctl(TASKLOCAL_IOC_TABLE_DUMP, d);
}

/* Entries in this task's table (0 for none), or -1 with a diagnostic. */
static inline int table_size(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	int err = dump_self(&d, slots);

	if (err == ENODATA)
		return 0;
	if (err) {
		diag("TABLE_DUMP of self: %s", errname(err));
		return -1;
	}
	return d.size;
}

/*
 * Call @fn(@info, @arg) for every key in the key list, live or dead: 0;
 * the errno of a KEY_LIST that failed; or -1 if its next_id went back.
 */
static inline int keys_each(void (*fn)(const struct tasklocal_key_info *,
				       void *), void *arg)
{
	struct tasklocal_key_info info[32];
	struct tasklocal_key_list kl;
	__u64 start = 0;
	__u32 i;
	int err;

	do {
		memset(&kl, 0, sizeof(kl));
		kl.keys = ptr(info);
		kl.count = ARRAY_SIZE(info);
		kl.start_id = start;
		kl.info_size = sizeof(info[0]);
		err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);
		if (err)
			return err;
		for (i = 0; i < kl.count; i++)
			fn(&info[i], arg);
		if (kl.next_id && kl.next_id <= start)
			return -1;
		start = kl.next_id;
	} while (start);
	return 0;
}

#endif /* TASKLOCAL_TESTING_TAP_H */
