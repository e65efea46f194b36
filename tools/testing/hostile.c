// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile: /dev/tasklocal attacked, with raw ioctls.
 *
 * Forged objects, reused ids, stale entries, refused calls, limits,
 * execve (and setuid programs), races between a key's deletion and its
 * users, read-only user memory, names outside the alphabet, forks beside
 * softirq work. Each case asserts the behaviour the
 * ABI documents and runs in a forked child of its own (a fresh table, no
 * dependence on another case; a crash or a timeout fails that case only).
 * One TAP line per case, "1..N" last, exit 1 if a case failed.
 *
 * usage: hostile             every case but the forged pidfds (as root)
 *        hostile pidfd       TABLE_DUMP of forged pidfds (any uid); on a
 *                            kernel that trusts a file's name this may
 *                            bring the kernel down, so it runs last
 *        hostile fork-softirq
 *                            only the case of forks beside softirq work
 *        hostile exec-check ID EXPECT
 *                            internal: the image execve'd by the execve
 *                            cases; GET of key ID gives EXPECT (a value,
 *                            "ENOENT" or "ENODATA")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <linux/tasklocal.h>

#include "tap.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif

/* GET: the initial value was returned, not stored (a full table). */
#ifndef BIT
#define BIT(n)		(1U << (n))
#endif

#ifndef TASKLOCAL_GET_UNSTORED
#define TASKLOCAL_GET_UNSTORED	BIT(9)
#endif

#define PARAM_DIR	"/sys/module/tasklocal/parameters/"
#define RACE_ROUNDS	200
#define BIG_VALUE	(1024U * 1024)

static const char *case_name;	/* for a case that takes an argument */
static unsigned char case_byte;
static char tmpdir[64];		/* pidfd mode: where forged files go */

static void name_set(__u64 *words, const char *name)
{
	memset(words, 0, TASKLOCAL_NAME_MAX);
	memcpy(words, name, strlen(name));
}

static void kc_init(struct tasklocal_key_create *kc, const char *name,
		    __u32 flags, const char *initial)
{
	memset(kc, 0, sizeof(*kc));
	kc->flags = flags;
	kc->fd = -1;
	if (name)
		name_set(kc->name, name);
	if (initial) {
		kc->initial = ptr(initial);
		kc->initial_len = strlen(initial);
	}
}

/* Create a key; a diagnostic if that fails. */
static int key_create(struct tasklocal_key_create *kc, const char *name,
		      __u32 flags, const char *initial)
{
	int err;

	kc_init(kc, name, flags, initial);
	err = xioctl(TASKLOCAL_IOC_KEY_CREATE, kc);
	if (err)
		diag("KEY_CREATE %s: %s", name ? name : "(anonymous)",
		     errname(err));
	return err;
}

/* An anonymous fd-owned key: it dies with this process at the latest. */
static int fd_key(struct tasklocal_key_create *kc, const char *initial)
{
	return key_create(kc, NULL, TASKLOCAL_KEY_FD, initial);
}

/* Does this task's table hold an entry for key @id? */
static bool table_has(__u64 id)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	__u32 i;

	if (dump_self(&d, slots))
		return false;
	for (i = 0; i < d.nr_slots; i++)
		if (slots[i].key_id == id)
			return true;
	return false;
}

/* keys_each(), with a diagnostic if KEY_LIST failed */
static void keys_walk(void (*fn)(const struct tasklocal_key_info *, void *),
		      void *arg)
{
	int err = keys_each(fn, arg);

	if (err > 0)
		diag("KEY_LIST: %s", errname(err));
}

struct key_find {
	const char *name;
	__u64 id;	/* of a live key with that name, or 0 */
};

static void key_find_one(const struct tasklocal_key_info *info, void *arg)
{
	struct key_find *kf = arg;

	if (!(info->flags & TASKLOCAL_KEY_DEAD) &&
	    !strncmp((const char *)info->name, kf->name, TASKLOCAL_NAME_MAX))
		kf->id = info->id;
}

/* The id of the live key named @name, or 0. */
static __u64 key_find(const char *name)
{
	struct key_find kf = { .name = name };

	keys_walk(key_find_one, &kf);
	return kf.id;
}

/* A safety net: delete the live named "t55." keys a case left behind. */
static void key_sweep_one(const struct tasklocal_key_info *info, void *arg)
{
	const char *name = (const char *)info->name;

	if (info->flags & (TASKLOCAL_KEY_DEAD | TASKLOCAL_KEY_FD) ||
	    strncmp(name, "t55.", 4))
		return;
	diag("key %.*s (id %llu) was left behind: deleting it",
	     TASKLOCAL_NAME_MAX, name, (unsigned long long)info->id);
	key_delete(info->id);
	(*(int *)arg)++;
}

static void key_sweep(void)
{
	int n = 0;

	keys_walk(key_sweep_one, &n);
}

static int param_read(const char *name, unsigned long *val)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n ? errno : EIO;
	buf[n] = '\0';
	*val = strtoul(buf, NULL, 10);
	return 0;
}

/* Write @val to parameter @name: 0 or the errno write() gave. */
static int param_write(const char *name, unsigned long val)
{
	char path[128], buf[32];
	int fd, err = 0, len;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	len = snprintf(buf, sizeof(buf), "%lu\n", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, buf, len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/*
 * Run one case in a child of its own, with a time limit; its verdict is
 * the child's exit status. Named keys it leaves behind are deleted.
 */
static void run(const char *what, bool (*fn)(void), unsigned int secs)
{
	int status = 0;
	pid_t pid;
	bool ok;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		tap(false, "%s", what);
		diag("fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		alarm(secs);
		ok = fn();
		fflush(stdout);
		_exit(ok ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ok = WIFEXITED(status) && !WEXITSTATUS(status);
	tap(ok, "%s", what);
	if (WIFSIGNALED(status))
		diag("the case was killed by signal %d%s", WTERMSIG(status),
		     WTERMSIG(status) == SIGALRM ? " (timed out)" :
		     " (see the kernel log)");
	key_sweep();
}

/*
 * As uid 1000, no capability left, and dumpable again (as after an exec
 * of a plain program); false (with a diagnostic) if not.
 */
static bool become_user(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000) || prctl(PR_SET_DUMPABLE, 1)) {
		diag("dropping to uid 1000: %s", strerror(errno));
		return false;
	}
	return true;
}

static int dump_pid(pid_t pid, __u32 flags, struct tasklocal_slot *slots,
		    char *values, __u32 values_len)
{
	struct tasklocal_table_dump d;

	memset(&d, 0, sizeof(d));
	d.flags = TASKLOCAL_DUMP_PID | flags;
	d.target = pid;
	d.slots = ptr(slots);
	d.nr_slots = DUMP_SLOTS;
	d.values = ptr(values);
	d.values_len = values_len;
	return xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
}

/* Case 1: TABLE_DUMP by "pidfd" of files that only look like one. */

static bool dump_pidfd(int fd, int want, const char *what)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	int err;

	if (fd < 0) {
		diag("%s: cannot make it: %s", what, strerror(errno));
		return false;
	}
	memset(&d, 0, sizeof(d));
	d.flags = TASKLOCAL_DUMP_PIDFD;
	d.target = fd;
	d.slots = ptr(slots);
	d.nr_slots = DUMP_SLOTS;
	diag("TABLE_DUMP by pidfd of %s", what);
	err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
	close(fd);
	return want_err(what, err, want);
}

static bool pidfd_real(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	struct tasklocal_key_create kc;
	int fd, err;

	if (fd_key(&kc, NULL) || vset(kc.id, 0, "v", 1))
		return false;
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0) {
		diag("pidfd_open: %s", strerror(errno));
		return false;
	}
	memset(&d, 0, sizeof(d));
	d.flags = TASKLOCAL_DUMP_PIDFD;
	d.target = fd;
	d.slots = ptr(slots);
	d.nr_slots = DUMP_SLOTS;
	err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
	close(fd);
	if (err == ENODATA)
		return true;
	if (!want_err("a real pidfd", err, 0))
		return false;
	if (d.pid != (__u32)getpid() || d.nr_slots != 1 ||
	    slots[0].key_id != kc.id) {
		diag("dumped pid %u, %u slots: not this task's table", d.pid,
		     d.nr_slots);
		return false;
	}
	return true;
}

static bool pidfd_eventfd(void)
{
	return dump_pidfd(eventfd(0, EFD_CLOEXEC), EBADF, "an eventfd");
}

/* A socket, or where the kernel has no networking, a pipe. */
static bool pidfd_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int p[2];

	if (fd >= 0)
		return dump_pidfd(fd, EBADF, "a socket");
	diag("no socket (%s): a pipe instead", strerror(errno));
	if (pipe2(p, O_CLOEXEC)) {
		diag("pipe2: %s", strerror(errno));
		return false;
	}
	close(p[1]);
	return dump_pidfd(p[0], EBADF, "a pipe");
}

static bool pidfd_file(void)
{
	char dir[96], path[128];
	bool ok;

	snprintf(dir, sizeof(dir), "%s/f", tmpdir);
	snprintf(path, sizeof(path), "%s/[pidfd]", dir);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		diag("mkdir %s: %s", dir, strerror(errno));
		return false;
	}
	ok = dump_pidfd(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600), EBADF,
			"a regular file named [pidfd]");
	unlink(path);
	rmdir(dir);
	return ok;
}

static bool pidfd_dir(void)
{
	char path[128];
	bool ok;

	snprintf(path, sizeof(path), "%s/d", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/d/[pidfd]", tmpdir);
	if (mkdir(path, 0700) && errno != EEXIST) {
		diag("mkdir %s: %s", path, strerror(errno));
		return false;
	}
	ok = dump_pidfd(open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), EBADF,
			"a directory named [pidfd]");
	rmdir(path);
	snprintf(path, sizeof(path), "%s/d", tmpdir);
	rmdir(path);
	return ok;
}

static bool pidfd_fifo(void)
{
	char path[128];
	bool ok;

	snprintf(path, sizeof(path), "%s/[pidfd]", tmpdir);
	if (mkfifo(path, 0600) && errno != EEXIST) {
		diag("mkfifo %s: %s", path, strerror(errno));
		return false;
	}
	ok = dump_pidfd(open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC), EBADF,
			"a FIFO named [pidfd]");
	unlink(path);
	return ok;
}

/* The forged files last, the one known to crash a kernel very last. */
static int main_pidfd(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t55.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	diag("forged pidfds under %s, as uid %u", tmpdir, getuid());
	run("TABLE_DUMP by a real pidfd works (or ENODATA)", pidfd_real, 30);
	run("TABLE_DUMP by pidfd of an eventfd: EBADF", pidfd_eventfd, 30);
	run("TABLE_DUMP by pidfd of a socket (or a pipe): EBADF", pidfd_socket,
	    30);
	run("TABLE_DUMP by pidfd of a regular file named [pidfd]: EBADF",
	    pidfd_file, 30);
	run("TABLE_DUMP by pidfd of a directory named [pidfd]: EBADF",
	    pidfd_dir, 30);
	run("TABLE_DUMP by pidfd of a FIFO named [pidfd]: EBADF", pidfd_fifo,
	    30);
	rmdir(tmpdir);
	return tap_end();
}

/* Case 2: a deleted key's id is not handed to the next key at once. */
static bool id_not_reused(void)
{
	struct tasklocal_key_create a, b;
	__u32 len = 0;
	bool ok = true;
	char buf[8];

	if (key_create(&a, "t55.id1", 0, NULL))
		return false;
	if (!want_err("KEY_DELETE t55.id1", key_delete(a.id), 0) ||
	    key_create(&b, "t55.id2", 0, NULL))
		return false;
	if (b.id == a.id) {
		diag("the new key got the deleted key's id %llu",
		     (unsigned long long)a.id);
		ok = false;
	}
	len = sizeof(buf);
	ok &= want_err("GET of the old id", vget(a.id, buf, &len, NULL),
		       ENOENT);
	ok &= want_err("SET of the old id", vset(a.id, 0, "x", 1), ENOENT);
	ok &= want_err("REMOVE of the old id", vremove(a.id), ENOENT);
	key_delete(b.id);
	return ok;
}

/* Case 3: CLEAR counts the stale entries it drops too. */
static bool clear_a_and_stale_b(__u64 a, __u64 b)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	struct tasklocal_clear c;
	bool ok;
	int err;

	/* [h:a][h+1:b] */
	if (!want_err("SET a", vset(a, 0, "a", 1), 0) ||
	    !want_err("SET b", vset(b, 0, "b", 1), 0) ||
	    !want_err("KEY_DELETE b", key_delete(b), 0))
		return false;
	/* [h:a][h+1:b*] */
	memset(&c, 0, sizeof(c));
	ok = want_err("CLEAR", xioctl(TASKLOCAL_IOC_CLEAR, &c), 0);
	if (c.removed != 2) {
		diag("CLEAR removed %u entries, want 2 (a, and b's stale one)",
		     c.removed);
		ok = false;
	}
	err = dump_self(&d, slots);
	if (err && err != ENODATA) {
		diag("TABLE_DUMP: %s", errname(err));
		ok = false;
	} else if (!err && (d.size || d.nr_slots)) {
		diag("after CLEAR the table holds %u entries, %u slots used",
		     d.size, d.nr_slots);
		ok = false;
	}
	return ok;
}

static bool clear_counts_stale(void)
{
	struct tasklocal_key_create a, b, mid[15];
	bool ok = false;
	size_t i, n;

	if (key_create(&a, "t55.ca", 0, NULL))
		return false;
	for (n = 0; n < ARRAY_SIZE(mid); n++)
		if (fd_key(&mid[n], NULL))
			goto close_mid;
	if (key_create(&b, "t55.cb", 0, NULL))
		goto close_mid;
	if ((a.hash & 15) == (b.hash & 15))
		ok = clear_a_and_stale_b(a.id, b.id);
	else
		diag("SKIP: a (0x%08x), b (0x%08x): no shared home slot (keys made meanwhile?)",
		     a.hash, b.hash);
	key_delete(b.id);	/* ENOENT if the case deleted it */
close_mid:
	for (i = 0; i < n; i++)
		close(mid[i].fd);
	key_delete(a.id);
	return ok;
}

/* Case 4: a SET that is refused does not create a table either. */
static bool refused_set_no_table(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_table_dump d;
	struct tasklocal_stats s0, s1;
	struct tasklocal_key_create kc;
	bool ok = true;

	if (fd_key(&kc, NULL))
		return false;
	if (!want_err("TABLE_DUMP of self, to begin with",
		      dump_self(&d, slots), ENODATA))
		return false;
	memset(&s0, 0, sizeof(s0));
	memset(&s1, 0, sizeof(s1));
	if (!want_err("STATS", xioctl(TASKLOCAL_IOC_STATS, &s0), 0))
		return false;
	ok &= want_err("SET REPLACE with no value",
		       vset(kc.id, TASKLOCAL_SET_REPLACE, "x", 1), ENOENT);
	ok &= want_err("TABLE_DUMP of self after it", dump_self(&d, slots),
		       ENODATA);
	if (!want_err("STATS", xioctl(TASKLOCAL_IOC_STATS, &s1), 0))
		return false;
	if (s1.tables_created != s0.tables_created) {
		diag("tables_created went from %llu to %llu",
		     (unsigned long long)s0.tables_created,
		     (unsigned long long)s1.tables_created);
		ok = false;
	}
	return ok;
}

/* Case 5: at max_entries, GET returns the initial value unstored. */
static bool get_initial_when_full(void)
{
	struct tasklocal_key_create k1, k2, ki;
	__u32 len, flags;
	char buf[16];
	bool ok = true;
	int err, size;

	err = param_write("max_entries", 2);
	if (!want_err("writing 2 to max_entries", err, 0))
		return false;
	if (fd_key(&k1, NULL) || fd_key(&k2, NULL) || fd_key(&ki, "init"))
		return false;
	if (!want_err("SET k1", vset(k1.id, 0, "1", 1), 0) ||
	    !want_err("SET k2", vset(k2.id, 0, "2", 1), 0))
		return false;
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	err = vget(ki.id, buf, &len, &flags);
	ok &= want_err("GET of a key with an initial value, table full", err,
		       0);
	if (!err && (len != 4 || memcmp(buf, "init", 4))) {
		diag("GET gave %u bytes '%.*s', want 'init'", len, (int)len,
		     buf);
		ok = false;
	}
	if (!err && (!(flags & TASKLOCAL_GET_INITIAL) ||
		     !(flags & TASKLOCAL_GET_UNSTORED))) {
		diag("GET flags 0x%x, want GET_INITIAL | GET_UNSTORED", flags);
		ok = false;
	}
	size = table_size();
	if (size != 2) {
		diag("the table holds %d entries, want 2", size);
		ok = false;
	}
	return ok;
}

/* Case 6: fd-owned keys are O_CLOEXEC, and die at the execve that closes them. */
static bool key_fd_cloexec(void)
{
	struct tasklocal_key_create kc;
	int flags;

	if (fd_key(&kc, NULL))
		return false;
	flags = fcntl(kc.fd, F_GETFD);
	if (kc.fd < 0 || flags < 0 || !(flags & FD_CLOEXEC)) {
		diag("fd %d, F_GETFD 0x%x: no FD_CLOEXEC", kc.fd, flags);
		return false;
	}
	return true;
}

static bool exec_with(bool keep_fd)
{
	struct tasklocal_key_create kc;
	char id[24], *argv[5];

	if (fd_key(&kc, NULL) ||
	    !want_err("SET", vset(kc.id, 0, "exec-value", 10), 0))
		return false;
	if (keep_fd && fcntl(kc.fd, F_SETFD, 0)) {
		diag("F_SETFD: %s", strerror(errno));
		return false;
	}
	snprintf(id, sizeof(id), "%llu", (unsigned long long)kc.id);
	argv[0] = "hostile";
	argv[1] = "exec-check";
	argv[2] = id;
	argv[3] = keep_fd ? "exec-value" : "ENOENT";
	argv[4] = NULL;
	fflush(stdout);
	execv("/proc/self/exe", argv);
	diag("execv /proc/self/exe: %s", strerror(errno));
	return false;
}

static bool exec_closes_key(void)
{
	return exec_with(false);
}

static bool exec_keeps_key(void)
{
	return exec_with(true);
}

/* In the execve'd image: GET of key @idstr gives @expect. */
static int main_exec_check(const char *idstr, const char *expect)
{
	__u64 id = strtoull(idstr, NULL, 10);
	char buf[64];
	__u32 len = sizeof(buf);
	int err;

	err = vget(id, buf, &len, NULL);
	if (!strcmp(expect, "ENOENT"))
		return want_err("GET after execve", err, ENOENT) ? 0 : 1;
	if (!strcmp(expect, "ENODATA"))
		return want_err("GET after execve", err, ENODATA) ? 0 : 1;
	if (!want_err("GET after execve", err, 0))
		return 1;
	if (len != strlen(expect) || memcmp(buf, expect, len)) {
		diag("GET after execve gave '%.*s', want '%s'", (int)len, buf,
		     expect);
		return 1;
	}
	return 0;
}

/*
 * Case 7: a secure exec (here: of a setuid-root copy of this program by
 * uid 1000) starts with no value of a userspace key; an exec that gains
 * no privilege keeps them. The copies live in a tmpfs of their own.
 */
static char suid_image[64], plain_image[64];

static bool copy_image(const char *to, mode_t mode)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	char buf[65536];
	ssize_t n = 0;
	bool ok;

	ok = in >= 0 && out >= 0;
	while (ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, n) == n;
	ok = ok && !n && !fchown(out, 0, 0) && !fchmod(out, mode);
	if (!ok)
		diag("copying this program to %s: %s", to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok;
}

static bool images_made(void)
{
	static int made;

	if (!made) {
		snprintf(suid_image, sizeof(suid_image), "/tmp/hostile-suid.%d",
			 (int)getpid());
		snprintf(plain_image, sizeof(plain_image),
			 "/tmp/hostile-plain.%d", (int)getpid());
		made = copy_image(suid_image, 04755) &&
		       copy_image(plain_image, 0755) ? 1 : -1;
	}
	return made > 0;
}

static void images_remove(void)
{
	if (suid_image[0])
		unlink(suid_image);
	if (plain_image[0])
		unlink(plain_image);
}

/*
 * As @uid (root stays root), set @value under a fresh named key (made by
 * root, usable by anyone), and in a child of a fork if @forked (the value
 * inherited), exec @image; there GET must give @expect.
 */
static bool exec_image_as(uid_t uid, const char *image, bool forked,
			  const char *expect)
{
	struct tasklocal_key_create kc;
	char id[24], *argv[5];
	int status;
	pid_t pid;

	if (!images_made() ||
	    key_create(&kc, "t55.plant", forked ? TASKLOCAL_KEY_INHERIT : 0,
		       NULL))
		return false;
	pid = fork();
	if (!pid) {
		if (uid && (uid != 1000 || !become_user()))
			_exit(3);
		if (vset(kc.id, 0, "planted", 7))
			_exit(4);
		if (forked) {
			pid = fork();
			if (pid) {
				_exit(pid < 0 || waitpid(pid, &status, 0) != pid ||
				      !WIFEXITED(status) ? 5 :
				      WEXITSTATUS(status));
			}
		}
		snprintf(id, sizeof(id), "%llu", (unsigned long long)kc.id);
		argv[0] = "hostile";
		argv[1] = "exec-check";
		argv[2] = id;
		argv[3] = (char *)expect;
		argv[4] = NULL;
		fflush(stdout);
		execv(image, argv);
		_exit(6);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		diag("fork or wait: %s", strerror(errno));
		return false;
	}
	key_delete(kc.id);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		diag("the exec'd image said no (status 0x%x)", status);
		return false;
	}
	return true;
}

static bool secure_exec_clears(void)
{
	return exec_image_as(1000, suid_image, false, "ENODATA");
}

static bool secure_exec_clears_inherited(void)
{
	return exec_image_as(1000, suid_image, true, "ENODATA");
}

static bool plain_exec_keeps(void)
{
	return exec_image_as(1000, plain_image, false, "planted");
}

static bool root_exec_of_suid_keeps(void)
{
	return exec_image_as(0, suid_image, false, "planted");
}

/* Case 8: once KEY_DELETE (or the last close) returns, the key is dead. */
struct race {
	__u64 id;
	bool set_only;
	int stop;
	long iters;
};

static void *racer(void *arg)
{
	struct race *r = arg;
	char buf[8];
	__u32 len;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		vset(r->id, 0, "t", 1);
		if (!r->set_only) {
			len = sizeof(buf);
			vget(r->id, buf, &len, NULL);
			vremove(r->id);
		}
		__atomic_add_fetch(&r->iters, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Start the racer on @r and let it get going. */
static bool race_start(pthread_t *th, struct race *r)
{
	int i, err;

	err = pthread_create(th, NULL, racer, r);
	if (err) {
		diag("pthread_create: %s", strerror(err));
		return false;
	}
	for (i = 0; i < 100000; i++) {
		if (__atomic_load_n(&r->iters, __ATOMIC_ACQUIRE) >= 3)
			break;
		sched_yield();
	}
	return true;
}

static void race_stop(pthread_t th, struct race *r)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
}

static bool delete_race(void)
{
	int bad = 0, bad_get = 0, bad_set = 0, bad_rm = 0, bad_create = 0;
	struct tasklocal_key_create kc, again;
	struct race r;
	pthread_t th;
	char buf[8];
	int round, e;
	__u32 len;

	for (round = 0; round < RACE_ROUNDS; round++) {
		bool v = false;

		if (key_create(&kc, "t55.race", 0, NULL) ||
		    !want_err("SET", vset(kc.id, 0, "v", 1), 0))
			return false;
		memset(&r, 0, sizeof(r));
		r.id = kc.id;
		if (!race_start(&th, &r))
			return false;
		e = key_delete(kc.id);
		if (!want_err("KEY_DELETE", e, 0))
			v = true;
		len = sizeof(buf);
		e = vget(kc.id, buf, &len, NULL);
		if (e != ENOENT) {
			if (!bad_get++)
				diag("round %d: GET after KEY_DELETE: %s", round,
				     errname(e));
			v = true;
		}
		e = vset(kc.id, 0, "x", 1);
		if (e != ENOENT) {
			if (!bad_set++)
				diag("round %d: SET after KEY_DELETE: %s", round,
				     errname(e));
			v = true;
		}
		e = vremove(kc.id);
		if (e != ENOENT) {
			if (!bad_rm++)
				diag("round %d: REMOVE after KEY_DELETE: %s",
				     round, errname(e));
			v = true;
		}
		kc_init(&again, "t55.race", 0, NULL);
		e = xioctl(TASKLOCAL_IOC_KEY_CREATE, &again);
		if (e) {
			if (!bad_create++)
				diag("round %d: KEY_CREATE of the name after KEY_DELETE: %s",
				     round, errname(e));
			v = true;
		}
		race_stop(th, &r);
		if (!e)
			key_delete(again.id);
		key_sweep();	/* a name left taken would fail the next round */
		bad += v;
	}
	if (bad)
		diag("%d of %d rounds broke it: GET %d, SET %d, REMOVE %d, KEY_CREATE %d",
		     bad, RACE_ROUNDS, bad_get, bad_set, bad_rm, bad_create);
	return !bad;
}

static bool close_race(void)
{
	struct tasklocal_key_create kc;
	int bad = 0, round, e;
	struct race r;
	pthread_t th;

	for (round = 0; round < RACE_ROUNDS; round++) {
		if (fd_key(&kc, NULL) ||
		    !want_err("SET", vset(kc.id, 0, "v", 1), 0))
			return false;
		memset(&r, 0, sizeof(r));
		r.id = kc.id;
		r.set_only = true;
		if (!race_start(&th, &r))
			return false;
		close(kc.fd);
		e = vset(kc.id, 0, "x", 1);
		if (e != ENOENT && !bad++)
			diag("round %d: SET after closing the key's fd: %s",
			     round, errname(e));
		race_stop(th, &r);
	}
	if (bad)
		diag("%d of %d rounds: SET worked after the close", bad,
		     RACE_ROUNDS);
	return !bad;
}

/* Case 9: a call that fails with EFAULT changes nothing. */

/* A page holding a copy of @obj, then made read-only. */
static void *ro_copy(const void *obj, size_t size)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		diag("mmap: %s", strerror(errno));
		return NULL;
	}
	memcpy(p, obj, size);
	if (mprotect(p, 4096, PROT_READ)) {
		diag("mprotect: %s", strerror(errno));
		munmap(p, 4096);
		return NULL;
	}
	return p;
}

/* The lowest free fd number. */
static int next_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static bool efault_create(const char *name, __u32 flags)
{
	struct tasklocal_key_create kc, *ro;
	int fd0, fd1, err;
	bool ok = true;
	__u64 id;

	kc_init(&kc, name, flags, NULL);
	ro = ro_copy(&kc, sizeof(kc));
	if (!ro)
		return false;
	fd0 = next_fd();
	err = xioctl(TASKLOCAL_IOC_KEY_CREATE, ro);
	fd1 = next_fd();
	ok &= want_err("KEY_CREATE from a read-only struct", err, EFAULT);
	if (fd1 != fd0) {
		diag("an fd (%d) was installed by the failed call", fd0);
		ok = false;
	}
	id = key_find(name);
	if (id) {
		diag("the key list holds %s (id %llu) after the failed call",
		     name, (unsigned long long)id);
		ok = false;
	}
	if (key_create(&kc, name, flags, NULL))
		ok = false;
	else if (kc.fd >= 0)
		close(kc.fd);
	else
		key_delete(kc.id);
	if (fd1 != fd0)
		close(fd0);
	if (id && !(flags & TASKLOCAL_KEY_FD))
		key_delete(id);
	munmap(ro, 4096);
	return ok;
}

static bool efault_create_named(void)
{
	return efault_create("t55.ro", 0);
}

static bool efault_create_fd(void)
{
	return efault_create("t55.rofd", TASKLOCAL_KEY_FD);
}

static bool efault_clear(void)
{
	struct tasklocal_key_create k1, k2;
	struct tasklocal_clear c, *ro;
	bool ok;
	int size;

	if (fd_key(&k1, NULL) || fd_key(&k2, NULL) ||
	    !want_err("SET k1", vset(k1.id, 0, "1", 1), 0) ||
	    !want_err("SET k2", vset(k2.id, 0, "2", 1), 0))
		return false;
	memset(&c, 0, sizeof(c));
	ro = ro_copy(&c, sizeof(c));
	if (!ro)
		return false;
	ok = want_err("CLEAR from a read-only struct",
		      xioctl(TASKLOCAL_IOC_CLEAR, ro), EFAULT);
	size = table_size();
	if (size != 2) {
		diag("after the failed CLEAR the table holds %d entries, want 2",
		     size);
		ok = false;
	}
	munmap(ro, 4096);
	return ok;
}

static bool efault_get(void)
{
	struct tasklocal_key_create kc;
	struct tasklocal_value v, *ro;
	char buf[16];
	bool ok;

	if (fd_key(&kc, "init"))
		return false;
	memset(&v, 0, sizeof(v));
	v.key_id = kc.id;
	v.value = ptr(buf);
	v.len = sizeof(buf);
	ro = ro_copy(&v, sizeof(v));
	if (!ro)
		return false;
	ok = want_err("GET from a read-only struct",
		      xioctl(TASKLOCAL_IOC_GET, ro), EFAULT);
	if (table_has(kc.id)) {
		diag("after the failed GET the table holds the initial value");
		ok = false;
	}
	munmap(ro, 4096);
	return ok;
}

/*
 * Case 9b: a KEY_CREATE whose reply faults, racing a KEY_DELETE of the id
 * it got: the create sees the reply fail after the key was live, and
 * must not drop the registry's reference the delete already dropped.
 */
#define EFAULT_RACE_ROUNDS	1500

struct efault_race {
	__u64 id;		/* the id the next create will get */
	int stop;
	long deleted;		/* deletes that found the key */
};

static void *efault_deleter(void *arg)
{
	struct efault_race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
		if (!key_delete(__atomic_load_n(&r->id, __ATOMIC_ACQUIRE)))
			__atomic_add_fetch(&r->deleted, 1, __ATOMIC_RELAXED);
	return NULL;
}

static bool efault_create_race(void)
{
	struct tasklocal_key_create kc, *ro;
	struct efault_race r = { 0 };
	int round, err, bad = 0;
	pthread_t th;

	kc_init(&kc, "t55.efrace", 0, NULL);
	ro = ro_copy(&kc, sizeof(kc));
	if (!ro || pthread_create(&th, NULL, efault_deleter, &r))
		return false;
	for (round = 0; round < EFAULT_RACE_ROUNDS; round++) {
		struct tasklocal_key_create probe;

		/* ids are cyclic: the create below gets the probe's + 1 */
		if (key_create(&probe, "t55.efprobe", 0, NULL)) {
			bad++;
			break;
		}
		__atomic_store_n(&r.id, probe.id + 1, __ATOMIC_RELEASE);
		key_delete(probe.id);
		err = xioctl(TASKLOCAL_IOC_KEY_CREATE, ro);
		if (err != EFAULT && !bad++)
			diag("KEY_CREATE from a read-only struct: %s",
			     errname(err));
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	diag("%d faulting creates, %ld of their keys deleted by the racer",
	     round, r.deleted);
	return !bad && !key_find("t55.efrace");
}

/* Case 10: a name byte outside [A-Za-z0-9_.:-] is refused. */
static bool bad_name(void)
{
	struct tasklocal_key_create kc;
	char name[16];
	int err;

	snprintf(name, sizeof(name), "t55.n%cx", case_byte);
	kc_init(&kc, name, 0, NULL);
	err = xioctl(TASKLOCAL_IOC_KEY_CREATE, &kc);
	if (!err)
		key_delete(kc.id);
	return want_err(case_name, err, EINVAL);
}

/* Case 11: max_value_size has a ceiling, and values up to 1 MiB work. */
static bool value_size_ceiling(void)
{
	unsigned long before = 0, after = 0;
	bool ok;

	if (param_read("max_value_size", &before))
		return false;
	ok = want_err("writing 8388608 to max_value_size",
		      param_write("max_value_size", 8U << 20), EINVAL);
	if (param_read("max_value_size", &after) || after != before) {
		diag("max_value_size is %lu, was %lu", after, before);
		ok = false;
	}
	return ok;
}

static bool value_size_1mib(void)
{
	struct tasklocal_key_create kc;
	unsigned char *in, *out;
	bool ok = false;
	__u32 i, len;
	int err;

	err = param_write("max_value_size", BIG_VALUE);
	if (!want_err("writing 1048576 to max_value_size", err, 0))
		return false;
	in = malloc(BIG_VALUE);
	out = calloc(1, BIG_VALUE);
	if (!in || !out || fd_key(&kc, NULL))
		goto free;
	for (i = 0; i < BIG_VALUE; i++)
		in[i] = i * 7 + (i >> 12);
	if (!want_err("SET of 1 MiB", vset(kc.id, 0, in, BIG_VALUE), 0))
		goto free;
	len = BIG_VALUE;
	err = vget(kc.id, out, &len, NULL);
	if (!want_err("GET of 1 MiB", err, 0))
		goto free;
	ok = len == BIG_VALUE && !memcmp(in, out, BIG_VALUE);
	if (!ok)
		diag("GET gave %u bytes, not the value set", len);
free:
	free(in);
	free(out);
	return ok;
}

/* Run @fn with module parameter @name restored afterwards, whatever happens. */
static void run_param(const char *what, bool (*fn)(void), const char *name)
{
	unsigned long orig;
	int err;

	err = param_read(name, &orig);
	if (err) {
		tap(false, "%s", what);
		diag("cannot read %s: %s", name, errname(err));
		return;
	}
	run(what, fn, 60);
	err = param_write(name, orig);
	if (err)
		diag("cannot restore %s to %lu: %s", name, orig, errname(err));
}

/* Case 12: an unreaped child of one's own is readable, as ptrace has it. */
static bool dump_own_zombie(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	char path[40], stat[128];
	pid_t pid;
	int i, fd;
	ssize_t n;

	if (!become_user())
		return false;
	pid = fork();
	if (!pid)
		_exit(0);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 5000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, stat, sizeof(stat) - 1);
		if (fd >= 0)
			close(fd);
		stat[n > 0 ? n : 0] = 0;
		if (strstr(stat, ") Z "))
			break;
		usleep(1000);
	}
	if (!strstr(stat, ") Z ")) {
		diag("child %d never became a zombie", (int)pid);
		return false;
	}
	/* it has no table: ENODATA, not EPERM */
	i = dump_pid(pid, 0, slots, NULL, 0);
	waitpid(pid, NULL, 0);
	return want_err("TABLE_DUMP of one's own zombie child", i, ENODATA);
}

/*
 * Case 15: a uid 1000 task that kept capabilities (as a service started
 * with ambient capabilities does: uid 1000, dumpable) is ptrace's only
 * to callers whose capabilities cover its own: a plain uid 1000 process
 * may neither dump its table nor clear it.
 */
static bool caps_holder_protected(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	int up[2], down[2], status = -1;
	struct tasklocal_key_create kc;
	pid_t holder, attacker;
	char c = 0;

	if (key_create(&kc, "t55.caps", 0, NULL) || pipe(up) || pipe(down))
		return false;
	holder = fork();
	if (!holder) {
		if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) ||
		    setresgid(1000, 1000, 1000) ||
		    setresuid(1000, 1000, 1000) || prctl(PR_SET_DUMPABLE, 1) ||
		    vset(kc.id, 0, "svc", 3))
			_exit(1);
		c = 'r';
		if (write(up[1], &c, 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (read(up[0], &c, 1) != 1 || c != 'r') {
		diag("the holder could not keep its capabilities as uid 1000");
		goto out;
	}
	attacker = fork();
	if (!attacker) {
		struct tasklocal_clear cl = { .flags = TASKLOCAL_CLEAR_PID,
					      .target = holder };
		int dump, clear;

		if (!become_user())
			_exit(2);
		dump = dump_pid(holder, 0, slots, NULL, 0);
		clear = xioctl(TASKLOCAL_IOC_CLEAR, &cl);
		if (dump != EPERM || clear != EPERM)
			diag("TABLE_DUMP %s, CLEAR %s, want EPERM for both",
			     errname(dump), errname(clear));
		_exit(dump == EPERM && clear == EPERM ? 0 : 1);
	}
	waitpid(attacker, &status, 0);
out:
	c = 'q';
	if (write(down[1], &c, 1) != 1)
		kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	{
		struct tasklocal_key_delete kd = { .id = kc.id };

		xioctl(TASKLOCAL_IOC_KEY_DELETE, &kd);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Case 13: forks that inherit while this CPU runs softirq work: on RT a
 * task preempted inside a bottom-half section holds the CPU's softirq
 * lock, and a fork hook that took a lock with local_bh_disable() there
 * (Debian's 6.1 rhashtable does, in a table insert) warns. A sender
 * floods loopback UDP from the same CPU as the forks.
 */
#define SOFTIRQ_SECS	8
#define FORK_SOFTIRQ_WHAT \
	"forks on one CPU beside a loopback UDP flood (with IPv4): every child inherits"

static int softirq_stop;

static bool loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (s < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	ok = !ioctl(s, SIOCGIFFLAGS, &ifr);
	if (ok && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ok = !ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (!ok)
		diag("bringing lo up: %s", strerror(errno));
	close(s);
	return ok;
}

static void *softirq_sender(void *arg)
{
	struct sockaddr_in *to = arg;
	char buf[64] = "x";
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return NULL;
	while (!__atomic_load_n(&softirq_stop, __ATOMIC_ACQUIRE))
		sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)to,
		       sizeof(*to));
	close(s);
	return NULL;
}

static bool fork_under_softirqs(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct tasklocal_key_create kc;
	socklen_t alen = sizeof(to);
	int sink, forks = 0, bad = 0;
	cpu_set_t cpu0;
	time_t end;
	pthread_t th;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0)) {
		diag("sched_setaffinity: %s", strerror(errno));
		return false;
	}
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sink = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sink < 0 && errno == EAFNOSUPPORT) {
		diag("this kernel has no IPv4: forks without the flood");
	} else if (sink < 0 || !loopback_up() ||
		   bind(sink, (struct sockaddr *)&to, sizeof(to)) ||
		   getsockname(sink, (struct sockaddr *)&to, &alen)) {
		diag("UDP sink: %s", strerror(errno));
		return false;
	}
	if (key_create(&kc, NULL, TASKLOCAL_KEY_FD | TASKLOCAL_KEY_INHERIT,
		       NULL) ||
	    !want_err("SET", vset(kc.id, 0, "inherited", 9), 0))
		return false;
	if (sink >= 0 && pthread_create(&th, NULL, softirq_sender, &to)) {
		diag("pthread_create failed");
		return false;
	}
	end = time(NULL) + SOFTIRQ_SECS;
	while (time(NULL) < end) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			diag("fork: %s", strerror(errno));
			bad++;
			break;
		}
		if (!pid) {
			char buf[16];
			__u32 len = sizeof(buf);

			_exit(vget(kc.id, buf, &len, NULL) || len != 9 ||
			      memcmp(buf, "inherited", 9));
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
		forks++;
	}
	if (sink >= 0) {
		__atomic_store_n(&softirq_stop, 1, __ATOMIC_RELEASE);
		pthread_join(th, NULL);
		close(sink);
	}
	diag("%d forks in %d s%s, %d children without the value", forks,
	     SOFTIRQ_SECS, sink >= 0 ? " beside a loopback UDP flood" : "",
	     bad);
	return forks > 0 && !bad;
}

/*
 * Case 14: a dump racing a setuid exec never returns the new program's
 * values. A uid 1000 target forks children that exec the setuid-root
 * copy, which sets a value at once; a uid 1000 dumper dumps each child
 * from its fork to its end. Its rights must be checked against the
 * same program the snapshot is of.
 */
#define EXEC_RACE_ROUNDS	100

static int main_exec_secret(const char *idstr)
{
	vset(strtoull(idstr, NULL, 10), 0, "secret", 6);
	usleep(2000);
	return 0;
}

static void exec_race_target(__u64 id, int wfd, int gofd)
{
	char idstr[24], *argv[4];
	int round, status;
	pid_t pid;

	snprintf(idstr, sizeof(idstr), "%llu", (unsigned long long)id);
	argv[0] = "hostile";
	argv[1] = "exec-secret";
	argv[2] = idstr;
	argv[3] = NULL;
	for (round = 0; round < EXEC_RACE_ROUNDS; round++) {
		pid = fork();
		if (!pid) {
			char go;

			/* once the dumper is dumping */
			if (read(gofd, &go, 1) != 1)
				_exit(7);
			execv(suid_image, argv);
			_exit(6);
		}
		if (pid < 0 || write(wfd, &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		waitpid(pid, &status, 0);
	}
	_exit(0);
}

static bool dump_exec_race(void)
{
	struct tasklocal_slot slots[DUMP_SLOTS];
	struct tasklocal_key_create kc;
	long dumps = 0, refused = 0, leaked = 0, other = 0;
	int p[2], go[2], err, status, rounds = 0;
	char values[256];
	pid_t target, pid;

	if (!images_made() || key_create(&kc, "t55.secret", 0, NULL) ||
	    pipe2(p, O_CLOEXEC) || pipe2(go, O_CLOEXEC))
		return false;
	target = fork();
	if (!target) {
		close(p[0]);
		close(go[1]);
		if (!become_user())
			_exit(3);
		exec_race_target(kc.id, p[1], go[0]);
	}
	close(p[1]);
	close(go[0]);
	if (target < 0 || !become_user())
		return false;
	while (read(p[0], &pid, sizeof(pid)) == sizeof(pid)) {
		rounds++;
		if (write(go[1], "g", 1) != 1)
			break;
		for (;;) {
			err = dump_pid(pid, TASKLOCAL_DUMP_VALUES, slots,
				       values, sizeof(values));
			if (err == ESRCH)
				break;
			if (err == EPERM)
				refused++;
			else if (!err || err == ENODATA)
				dumps++;
			else if (!other++)
				diag("TABLE_DUMP: %s", errname(err));
			if (!err && memmem(values, sizeof(values), "secret", 6))
				leaked++;
			memset(values, 0, sizeof(values));
		}
	}
	waitpid(target, &status, 0);
	diag("%d setuid execs raced: %ld dumps before, %ld refused after",
	     rounds, dumps, refused);
	diag("%ld dumps with the new program's value, %ld other errors",
	     leaked, other);
	return rounds == EXEC_RACE_ROUNDS && !leaked && !other &&
	       WIFEXITED(status) && !WEXITSTATUS(status);
}

static int main_all(void)
{
	static const struct {
		unsigned char byte;
		const char *what;
	} bytes[] = {
		{ 0xc0, "0xC0" }, { 0xe9, "0xE9" }, { 0xff, "0xFF" },
		{ 0x80, "0x80" }, { ' ', "a space" }, { '/', "'/'" },
	};
	char what[96];
	size_t i;

	images_made();		/* here, for every case's child to use */
	run("a deleted key's id is not reused at once; GET/SET/REMOVE of it: ENOENT",
	    id_not_reused, 30);
	run("CLEAR counts the stale entry it drops (removed == 2), table empty",
	    clear_counts_stale, 30);
	run("a refused SET (REPLACE, no value) creates no table", refused_set_no_table,
	    30);
	run_param("GET at max_entries returns the initial value, GET_UNSTORED, not stored",
		  get_initial_when_full, "max_entries");
	run("KEY_CREATE with TASKLOCAL_KEY_FD returns an FD_CLOEXEC fd",
	    key_fd_cloexec, 30);
	run("an execve that closes a key's last fd kills the key (GET: ENOENT)",
	    exec_closes_key, 30);
	run("uid 1000 execs a setuid-root program: it sees no value uid 1000 set",
	    secure_exec_clears, 30);
	run("... nor one inherited from its parent",
	    secure_exec_clears_inherited, 30);
	run("uid 1000 execs the same program without setuid: the value stays",
	    plain_exec_keeps, 30);
	run("root execs the setuid-root program (no privilege gained): the value stays",
	    root_exec_of_suid_keeps, 30);
	run("a dump racing a setuid exec never returns the new program's value",
	    dump_exec_race, 300);
	run("uid 1000 may not dump or clear a uid 1000 task with capabilities it lacks",
	    caps_holder_protected, 30);
	run("uid 1000 dumps its own unreaped zombie child: ENODATA, not EPERM",
	    dump_own_zombie, 30);
	run("with FD_CLOEXEC cleared the key and its value survive execve",
	    exec_keeps_key, 30);
	run("KEY_CREATE from a read-only struct: EFAULT, no key left",
	    efault_create_named, 30);
	run("KEY_CREATE whose reply faults, racing KEY_DELETE of its id: EFAULT, nothing put twice",
	    efault_create_race, 300);
	run("KEY_CREATE --fd from a read-only struct: EFAULT, no key, no fd left",
	    efault_create_fd, 30);
	run("CLEAR from a read-only struct: EFAULT, the entries stay",
	    efault_clear, 30);
	run("GET from a read-only struct: EFAULT, no initial value stored",
	    efault_get, 30);
	for (i = 0; i < ARRAY_SIZE(bytes); i++) {
		snprintf(what, sizeof(what), "KEY_CREATE with %s in the name: EINVAL",
			 bytes[i].what);
		case_byte = bytes[i].byte;
		case_name = what;
		run(what, bad_name, 30);
	}
	run_param("max_value_size refuses 8 MiB (EINVAL) and keeps its value",
		  value_size_ceiling, "max_value_size");
	run_param("max_value_size of 1 MiB: a 1 MiB value is set and read back intact",
		  value_size_1mib, "max_value_size");
	run("KEY_DELETE racing GET/SET/REMOVE: the key is dead once it returns",
	    delete_race, 300);
	run("closing an fd-owned key racing SET: the key is dead once close returns",
	    close_race, 300);
	run(FORK_SOFTIRQ_WHAT, fork_under_softirqs, 60);
	images_remove();
	return tap_end();
}

int main(int argc, char **argv)
{
	dev = dev_open();
	if (dev < 0)
		return 1;
	if (argc == 4 && !strcmp(argv[1], "exec-check"))
		return main_exec_check(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "exec-secret"))
		return main_exec_secret(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "pidfd"))
		return main_pidfd();
	if (argc == 2 && !strcmp(argv[1], "efault-race")) {
		run("KEY_CREATE whose reply faults, racing KEY_DELETE of its id",
		    efault_create_race, 300);
		printf("1..%d\n", nr_tests);
		return nr_failed ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "fork-softirq")) {
		run(FORK_SOFTIRQ_WHAT, fork_under_softirqs, 60);
		return tap_end();
	}
	if (argc == 1)
		return main_all();
	fprintf(stderr, "usage: hostile [pidfd | fork-softirq | exec-check ID EXPECT]\n");
	return 2;
}
