// SPDX-License-Identifier: GPL-2.0-only
/*
 * ubench: the userspace side of the tasklocal benchmarks, run in the VM.
 *
 *   ubench fork N      N cycles of fork(), _exit() in the child, waitpid()
 *   ubench thread N    N cycles of pthread_create() + pthread_join()
 *   ubench ioctl N     N TASKLOCAL_IOC_GET of an 8-byte value, N no-op
 *                      TASKLOCAL_IOC_VERSION, and for a breakdown N GET of
 *                      a key that does not exist, N ioctls of an unknown
 *                      command and N getppid() calls
 *   ubench dump PID    the shape of task PID's table (TASKLOCAL_IOC_TABLE_DUMP)
 *   ubench keys N      N named keys made one by one: KEY_CREATE at 1,000
 *                      keys and at N, one KEY_LIST page of 64, KEY_FIND
 *                      and KEY_DELETE at N (the registry's scale)
 *   ubench run NAME CMD...  CMD run once, its output thrown away
 *
 * Timings are printed as "result NAME 0 TOTAL_NS N", the format of
 * tasklocal_bench.ko, for run.sh to parse. Only the ioctl ABI header is
 * used (raw ioctls), not libtasklocal. Built static: the VM has no libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/tasklocal.h>

#define DUMP_MAX_SLOTS	65536
#define NO_SUCH_KEY	0x7fffffffu	/* an id never handed out */
#define UNKNOWN_IOC	_IO(TASKLOCAL_IOC_MAGIC, 0x7f)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void report(const char *name, uint64_t ns, unsigned long n)
{
	printf("result %s 0 %llu %lu\n", name, (unsigned long long)ns, n);
}

static void die(const char *what)
{
	fprintf(stderr, "ubench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int bench_fork(unsigned long n)
{
	uint64_t t0 = now_ns();
	unsigned long i;
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
	}
	report("fork_exit", now_ns() - t0, n);
	return 0;
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int bench_thread(unsigned long n)
{
	uint64_t t0 = now_ns();
	unsigned long i;
	pthread_t t;
	int err;

	for (i = 0; i < n; i++) {
		err = pthread_create(&t, NULL, thread_fn, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
		pthread_join(t, NULL);
	}
	report("thread_create_join", now_ns() - t0, n);
	return 0;
}

static int open_dev(void)
{
	int fd = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(TASKLOCAL_DEVICE);
	return fd;
}

static int bench_ioctl(unsigned long n)
{
	struct tasklocal_key_create kc = { .flags = TASKLOCAL_KEY_FD };
	char value[8] = "bench01", buf[64];
	struct tasklocal_version ver;
	struct tasklocal_value v;
	unsigned long i;
	int fd = open_dev();
	uint64_t t0;

	if (ioctl(fd, TASKLOCAL_IOC_KEY_CREATE, &kc))
		die("TASKLOCAL_IOC_KEY_CREATE");
	memset(&v, 0, sizeof(v));
	v.key_id = kc.id;
	v.len = sizeof(value);
	v.value = (uintptr_t)value;
	if (ioctl(fd, TASKLOCAL_IOC_SET, &v))
		die("TASKLOCAL_IOC_SET");

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		v.key_id = kc.id;
		v.len = sizeof(buf);
		v.value = (uintptr_t)buf;
		if (ioctl(fd, TASKLOCAL_IOC_GET, &v))
			die("TASKLOCAL_IOC_GET");
	}
	report("ioctl_get", now_ns() - t0, n);
	if (v.len != sizeof(value) || memcmp(buf, value, sizeof(value))) {
		fprintf(stderr, "ubench: GET returned the wrong value\n");
		return 1;
	}

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memset(&ver, 0, sizeof(ver));
		if (ioctl(fd, TASKLOCAL_IOC_VERSION, &ver))
			die("TASKLOCAL_IOC_VERSION");
	}
	report("ioctl_version", now_ns() - t0, n);

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		v.key_id = NO_SUCH_KEY;
		v.len = sizeof(buf);
		v.value = (uintptr_t)buf;
		if (ioctl(fd, TASKLOCAL_IOC_GET, &v) != -1 || errno != ENOENT)
			die("TASKLOCAL_IOC_GET of no key");
	}
	report("ioctl_get_nokey", now_ns() - t0, n);

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (ioctl(fd, UNKNOWN_IOC, 0) != -1 || errno != ENOTTY)
			die("unknown ioctl");
	report("ioctl_unknown", now_ns() - t0, n);

	t0 = now_ns();
	for (i = 0; i < n; i++)
		getppid();
	report("getppid", now_ns() - t0, n);

	close(kc.fd);
	close(fd);
	return 0;
}

static int dump(pid_t pid)
{
	struct tasklocal_table_dump d;
	int fd = open_dev();

	memset(&d, 0, sizeof(d));
	d.flags = TASKLOCAL_DUMP_PID;
	d.target = pid;
	d.nr_slots = DUMP_MAX_SLOTS;
	d.slots = (uintptr_t)calloc(DUMP_MAX_SLOTS,
				    sizeof(struct tasklocal_slot));
	if (!d.slots)
		die("calloc");
	if (ioctl(fd, TASKLOCAL_IOC_TABLE_DUMP, &d))
		die("TASKLOCAL_IOC_TABLE_DUMP");
	printf("table %d len %u size %u threshold %u stale %u\n", (int)pid,
	       d.len, d.size, d.threshold, d.stale);
	free((void *)(uintptr_t)d.slots);
	close(fd);
	return 0;
}

#define KEYS_LOW	1000	/* the registry's cost is measured there */
#define KEYS_STEP	100	/* ... and at N, over this many calls */
#define KEYS_LIST_PAGE	64
#define KEYS_FINDS	1000

static void key_name(__u64 words[TASKLOCAL_NAME_WORDS], unsigned long i)
{
	memset(words, 0, TASKLOCAL_NAME_MAX);
	snprintf((char *)words, TASKLOCAL_NAME_MAX, "ubench.%lu", i);
}

static void key_create(int fd, unsigned long i, __u64 *id)
{
	struct tasklocal_key_create kc;

	memset(&kc, 0, sizeof(kc));
	key_name(kc.name, i);
	if (ioctl(fd, TASKLOCAL_IOC_KEY_CREATE, &kc))
		die("TASKLOCAL_IOC_KEY_CREATE");
	*id = kc.id;
}

static void key_delete(int fd, __u64 id)
{
	struct tasklocal_key_delete kd;

	memset(&kd, 0, sizeof(kd));
	kd.id = id;
	if (ioctl(fd, TASKLOCAL_IOC_KEY_DELETE, &kd))
		die("TASKLOCAL_IOC_KEY_DELETE");
}

/* KEY_CREATE of keys [from, to), timed; their ids into @ids */
static void keys_create(int fd, __u64 *ids, unsigned long from,
			unsigned long to, const char *name)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = from; i < to; i++)
		key_create(fd, i, &ids[i]);
	if (name)
		report(name, now_ns() - t0, to - from);
}

static int bench_keys(unsigned long n)
{
	struct tasklocal_key_info page[KEYS_LIST_PAGE], info;
	struct tasklocal_key_list kl;
	struct tasklocal_key_find kf;
	int fd = open_dev();
	unsigned long i;
	uint64_t t0;
	__u64 *ids;

	if (n < KEYS_LOW + KEYS_STEP)
		n = KEYS_LOW + KEYS_STEP;
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		die("calloc");
	keys_create(fd, ids, 0, KEYS_LOW, NULL);
	keys_create(fd, ids, KEYS_LOW, KEYS_LOW + KEYS_STEP, "key_create_low");
	keys_create(fd, ids, KEYS_LOW + KEYS_STEP, n - KEYS_STEP, NULL);
	keys_create(fd, ids, n - KEYS_STEP, n, "key_create_high");

	t0 = now_ns();
	for (i = 0; i < KEYS_STEP; i++) {
		memset(&kl, 0, sizeof(kl));
		kl.keys = (uintptr_t)page;
		kl.count = KEYS_LIST_PAGE;
		kl.start_id = ids[n / 2];
		kl.info_size = sizeof(page[0]);
		if (ioctl(fd, TASKLOCAL_IOC_KEY_LIST, &kl))
			die("TASKLOCAL_IOC_KEY_LIST");
		if (kl.count != KEYS_LIST_PAGE || kl.total < n) {
			fprintf(stderr, "ubench: KEY_LIST listed %u of %u keys\n",
				kl.count, kl.total);
			return 1;
		}
	}
	report("key_list_page", now_ns() - t0, KEYS_STEP);

	t0 = now_ns();
	for (i = 0; i < KEYS_FINDS; i++) {
		memset(&kf, 0, sizeof(kf));
		key_name(kf.name, i * (n / KEYS_FINDS));
		kf.info = (uintptr_t)&info;
		kf.info_size = sizeof(info);
		if (ioctl(fd, TASKLOCAL_IOC_KEY_FIND, &kf)) {
			if (errno != ENOTTY)
				die("TASKLOCAL_IOC_KEY_FIND");
			break;		/* a module before 0.7 */
		}
		if (info.id != ids[i * (n / KEYS_FINDS)]) {
			fprintf(stderr, "ubench: KEY_FIND found the wrong key\n");
			return 1;
		}
	}
	if (i == KEYS_FINDS)
		report("key_find", now_ns() - t0, KEYS_FINDS);

	t0 = now_ns();
	for (i = n - KEYS_STEP; i < n; i++)
		key_delete(fd, ids[i]);
	report("key_delete_high", now_ns() - t0, KEYS_STEP);
	for (i = 0; i < n - KEYS_STEP; i++)
		key_delete(fd, ids[i]);
	free(ids);
	close(fd);
	return 0;
}

/* @argv run once, its output to /dev/null: how long it took */
static int bench_run(const char *name, char **argv)
{
	uint64_t t0 = now_ns();
	int status, null;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "ubench: %s failed (status 0x%x)\n", argv[0],
			status);
		return 1;
	}
	report(name, now_ns() - t0, 1);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n;

	if (argc >= 4 && !strcmp(argv[1], "run"))
		return bench_run(argv[2], argv + 3);
	if (argc != 3) {
		fprintf(stderr,
			"usage: ubench {fork|thread|ioctl|keys} N\n"
			"       ubench dump PID\n"
			"       ubench run NAME CMD...\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "fork"))
		return bench_fork(n);
	if (!strcmp(argv[1], "thread"))
		return bench_thread(n);
	if (!strcmp(argv[1], "ioctl"))
		return bench_ioctl(n);
	if (!strcmp(argv[1], "dump"))
		return dump((pid_t)n);
	if (!strcmp(argv[1], "keys"))
		return bench_keys(n);
	fprintf(stderr, "ubench: unknown benchmark '%s'\n", argv[1]);
	return 2;
}
