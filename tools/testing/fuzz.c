// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: seeded random ioctls on /dev/tasklocal, each result checked
 * against what the ABI documents.
 *
 * Every command of include/uapi/linux/tasklocal.h, with the right size,
 * larger sizes (a zero tail must work like the right size, a non-zero
 * one is E2BIG), smaller sizes (EINVAL), wrong direction bits and unknown
 * numbers (ENOTTY). Fields are biased to edge values: 0, 1, the limits
 * TASKLOCAL_IOC_VERSION reports and their neighbours, ~0; pointers NULL,
 * unmapped, unaligned, in the kernel's range, read-only, valid, or running
 * into an unmapped page; names valid, unterminated, outside the alphabet,
 * empty; reserved fields and unknown flag bits sometimes set; key ids of
 * live and deleted keys, huge and 0; TABLE_DUMP of itself, of live and
 * exited children, of pid 1, by pidfds of reaped children and by forged
 * ones (a FIFO named "[pidfd]", an eventfd, /dev/null). About one call in
 * 200 is instead a fork (the child makes a few hundred calls and exits,
 * some after an execve() of this program with -c), a waitpid, or the
 * close of one of the fds it owns (key fds included).
 *
 * The check: a call succeeds, or fails with an errno the header's
 * "Errors:" lines give for that command, or a generic one (EFAULT,
 * EINVAL, ENOMEM; E2BIG only for a non-zero tail or a value over
 * max_value_size; ENOTTY, only, for a command that is not one). A call
 * whose input is invalid (a reserved field or unknown flag set, a bad
 * name, a forged pidfd, ...) must fail; a smaller structure with EINVAL,
 * a non-zero tail with E2BIG (or EFAULT). Every key it creates is named
 * "t85.*" or owned by an fd, and deleted again.
 *
 * The random draws are the same for a seed: process K's stream is seeded
 * from SEED and K. (Which keys are live, and so which ids are drawn from,
 * also depends on what the other processes did meanwhile.)
 *
 * usage: fuzz [-s SEED] [-n CALLS] [-p PROCS]
 *		CALLS in all (default 100000), PROCS processes (default
 *		4), SEED (default 1). Per process, "# " lines count the
 *		calls per command and per errno; then one TAP line each,
 *		and one for the keys left behind; "1..N" last. Exit 1 if a
 *		check failed.
 *        fuzz -c FD:SLOT -s SEED -n CALLS
 *		internal: a child after execve(), reporting in the shared
 *		memory at FD, slot SLOT
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
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/tasklocal.h>

/* errname(0): the per-errno counts call a success "ok" */
#define TAP_SUCCESS_NAME	"ok"
#include "tap.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif

#define PAGE		4096UL
#define MAX_PROCS	64
#define NR_ERRNO	134		/* the last counts every errno above */
#define MAX_KEYS	48		/* live keys one process tracks */
#define MAX_DEAD	64		/* ids of keys it saw die */
#define MAX_CHILDREN	4		/* live at once */
#define MAX_REAPED	16		/* pids and pidfds of reaped children */
#define ACTION_EVERY	200		/* one fork/wait/close per this many */
#define ARG_BYTES	(5 * PAGE)	/* room for a 16383-byte structure */
#define IOC_SIZE_MAX	((1U << _IOC_SIZEBITS) - 1)
#define KERNEL_ADDR	0xffff888000000000ULL
#define FAIL_TEXT	2048
#define DUMP_BYTES	192
#define NAME_PREFIX	"t85."

/* The commands, then one for numbers that are not a command. */
enum {
	C_VERSION, C_KEY_CREATE, C_KEY_DELETE, C_KEY_LIST, C_KEY_FIND, C_SET,
	C_GET, C_REMOVE, C_CLEAR, C_TABLE_DUMP, C_TABLE_LIST, C_STATS,
	C_UNKNOWN,
	NR_CMDS
};

/*
 * Per command, the errnos its doc comment in the uapi header lists
 * beyond the generic ones (zero-terminated). From the "Errors:" lines:
 * KEY_CREATE "EINVAL, EEXIST, E2BIG, EDQUOT, ENOSPC, EFAULT, ENOMEM,
 * EMFILE, ENFILE"; KEY_DELETE "ENOENT, EPERM, EINVAL"; KEY_FIND "ENOENT,
 * EINVAL, EFAULT"; the value commands
 * "ENOENT, ENODATA (GET, REMOVE), EEXIST / ENOENT (SET with CREATE /
 * REPLACE), ERANGE (GET), E2BIG (SET), ENOSPC (SET), EINVAL, EFAULT,
 * ENOMEM"; CLEAR "EFAULT, ESRCH, EBADF, EPERM, ENOENT, EINVAL" (and
 * EINTR: a fatal signal while it waits for the target's exec); TABLE_DUMP
 * "ERANGE, ESRCH, ENODATA, EPERM, EBADF, EBUSY, EINVAL, EFAULT, ENOMEM".
 * VERSION, KEY_LIST, TABLE_LIST and STATS list none: only the generic
 * ones.
 */
static const struct cmd_def {
	const char *name;
	unsigned int cmd;
	int errs[8];
} cmds[NR_CMDS] = {
	[C_VERSION] = { "VERSION", TASKLOCAL_IOC_VERSION, { 0 } },
	[C_KEY_CREATE] = { "KEY_CREATE", TASKLOCAL_IOC_KEY_CREATE,
			   { EEXIST, EDQUOT, ENOSPC, EMFILE, ENFILE } },
	[C_KEY_DELETE] = { "KEY_DELETE", TASKLOCAL_IOC_KEY_DELETE,
			   { ENOENT, EPERM } },
	[C_KEY_LIST] = { "KEY_LIST", TASKLOCAL_IOC_KEY_LIST, { 0 } },
	[C_KEY_FIND] = { "KEY_FIND", TASKLOCAL_IOC_KEY_FIND, { ENOENT } },
	[C_SET] = { "SET", TASKLOCAL_IOC_SET, { ENOENT, EEXIST, ENOSPC } },
	[C_GET] = { "GET", TASKLOCAL_IOC_GET, { ENOENT, ENODATA, ERANGE } },
	[C_REMOVE] = { "REMOVE", TASKLOCAL_IOC_REMOVE, { ENOENT, ENODATA } },
	[C_CLEAR] = { "CLEAR", TASKLOCAL_IOC_CLEAR,
		      { ESRCH, EBADF, EPERM, ENOENT, EINTR } },
	[C_TABLE_DUMP] = { "TABLE_DUMP", TASKLOCAL_IOC_TABLE_DUMP,
			   { ERANGE, ESRCH, ENODATA, EPERM, EBADF, EBUSY } },
	[C_TABLE_LIST] = { "TABLE_LIST", TASKLOCAL_IOC_TABLE_LIST, { 0 } },
	[C_STATS] = { "STATS", TASKLOCAL_IOC_STATS, { 0 } },
	[C_UNKNOWN] = { "unknown", 0, { 0 } },
};

/* Any command may fail so (E2BIG: only with a reason, see one_call()). */
static const int generic_errs[] = { EFAULT, EINVAL, E2BIG, ENOMEM };

/* What one fuzz process and its children report, in shared memory. */
struct slot {
	__u64 seed;
	__u64 calls;		/* all, children's included */
	__u64 child_calls;
	__u32 forks;
	__u32 execs;
	__u32 failures;
	__u32 failed;		/* the first failure's text is written */
	__u32 counts[NR_CMDS][NR_ERRNO];
	char fail[FAIL_TEXT];
};

struct shared {
	char tmpdir[64];	/* holds the FIFO named "[pidfd]" */
	struct slot slot[MAX_PROCS];
};

union tl_arg {
	struct tasklocal_version version;
	struct tasklocal_key_create key_create;
	struct tasklocal_key_delete key_delete;
	struct tasklocal_key_list key_list;
	struct tasklocal_key_find key_find;
	struct tasklocal_value value;
	struct tasklocal_clear clear;
	struct tasklocal_table_dump dump;
	struct tasklocal_table_list list;
	struct tasklocal_stats stats;
};

struct key {
	__u64 id;
	int fd;			/* -1: a named key the registry owns */
	pid_t owner;		/* the process that created it */
	char name[TASKLOCAL_NAME_MAX];
};

struct child {
	pid_t pid;
	int pidfd;		/* or -1 */
	bool exec;
};

/* One call: the structure as built, how it was passed, what must come. */
struct call {
	int c;
	union tl_arg u;
	unsigned int cmd;
	size_t usize;
	const char *size_how;
	const char *arg_how;
	const char *bad;	/* why the kernel must refuse it, or NULL */
	int only[2];		/* if set: the errnos it must fail with */
	bool e2big_ok;		/* a reason for E2BIG: tail, too long */
	unsigned char *arg;	/* what was passed, if readable; or NULL */
	size_t room;		/* mapped bytes at @arg */
	unsigned char pre[DUMP_BYTES];	/* the bytes passed */
	size_t pre_len;
};

/* The state of one process; a forked child carries on with a copy. */
static struct {
	__u64 rng;
	int index;
	pid_t pid;
	bool child;
	int dev;
	struct tasklocal_version v;
	struct slot *slot;
	struct shared *sh;
	int shm_fd;
	unsigned char *argbuf;	/* ARG_BYTES, then an unmapped page */
	unsigned char *robuf;	/* ARG_BYTES, read-only between uses */
	unsigned char *data;	/* data_len, then an unmapped page */
	unsigned char *rodata;	/* data_len, read-only */
	size_t data_len;
	int self_pidfd, fifo_fd, event_fd, null_fd;
	struct key keys[MAX_KEYS];
	int nr_keys;
	__u64 dead[MAX_DEAD];
	int nr_dead;
	__u64 id_lo, id_hi;	/* ids of keys this run made */
	struct child children[MAX_CHILDREN];
	int nr_children;
	pid_t reaped[MAX_REAPED];
	int nr_reaped;
	int reaped_pidfd[MAX_REAPED];
	int nr_reaped_pidfd;
	unsigned int names;	/* names made so far */
} st;

/* xorshift64* */
static __u64 next(void)
{
	st.rng ^= st.rng >> 12;
	st.rng ^= st.rng << 25;
	st.rng ^= st.rng >> 27;
	return st.rng * 0x2545f4914f6cdd1dULL;
}

static __u32 rnd(__u32 n)
{
	return n ? (__u32)(next() >> 32) % n : 0;
}

static __u64 splitmix(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void seed_rng(__u64 seed, __u64 index)
{
	st.rng = splitmix(splitmix(seed) ^ splitmix(index + 1));
	if (!st.rng)
		st.rng = 1;
}

/* @limit, its neighbours, 0, 1, ~0, or something random */
static __u32 edge32(__u32 limit)
{
	switch (rnd(10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return limit - 1;
	case 3: return limit;
	case 4: return limit + 1;
	case 5: return ~0U;
	case 6: return rnd(64);
	case 7: return rnd(limit + 2);
	case 8: return 1U << rnd(32);
	default: return (__u32)next();
	}
}

/* A length for a value: mostly short, sometimes at the edges. */
static __u32 value_len(void)
{
	return rnd(2) ? 1 + rnd(64) : edge32(st.v.max_value_size);
}

/* A user pointer: mostly a valid buffer, else one of the bad kinds. */
static __u64 user_ptr(void)
{
	__u32 r = rnd(100);

	if (r < 55)
		return ptr(st.data);
	if (r < 60)	/* runs into the unmapped page after the buffer */
		return ptr(st.data + st.data_len - rnd(128));
	if (r < 68)
		return ptr(st.rodata);
	if (r < 76)
		return 0;
	if (r < 81)
		return 16;
	if (r < 88)
		return ptr(st.data + 1 + rnd(7));
	if (r < 93)
		return KERNEL_ADDR + rnd(2) * 8 * PAGE;
	return rnd(2) ? ~0ULL - rnd(4096) : next();
}

static void count_add(__u64 *p, __u64 n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

/* Record a failure; the first one's text is what the TAP line shows. */
static __printf(2, 3) void fail(const struct call *cl, const char *fmt, ...)
{
	char text[FAIL_TEXT];
	__u32 zero = 0;
	size_t n, i;
	va_list ap;

	__atomic_fetch_add(&st.slot->failures, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&st.slot->failed, __ATOMIC_RELAXED))
		return;
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (cl && n < sizeof(text))
		n += snprintf(text + n, sizeof(text) - n,
			      "\ncmd 0x%08x, size %zu (%s), arg %s, pid %d; buffers: data %p, read-only %p",
			      cl->cmd, cl->usize, cl->size_how, cl->arg_how,
			      st.pid, st.data, st.rodata);
	for (i = 0; cl && i < cl->pre_len && n < sizeof(text); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s%02x",
			      i % 16 ? " " : i ? "\n" : "\nbytes:\n",
			      cl->pre[i]);
	if (!__atomic_compare_exchange_n(&st.slot->failed, &zero, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	memcpy(st.slot->fail, text, sizeof(text));
	st.slot->fail[FAIL_TEXT - 1] = '\0';
}

static bool documented(int c, int err)
{
	const int *e;
	size_t i;

	if (c == C_UNKNOWN)
		return err == ENOTTY;
	for (i = 0; i < ARRAY_SIZE(generic_errs); i++)
		if (generic_errs[i] == err)
			return true;
	for (e = cmds[c].errs; *e; e++)
		if (*e == err)
			return true;
	return false;
}

/* Keys and ids */

static void dead_add(__u64 id)
{
	st.dead[st.nr_dead++ % MAX_DEAD] = id;
	if (st.nr_dead >= 2 * MAX_DEAD)
		st.nr_dead -= MAX_DEAD;
}

static void id_seen(__u64 id)
{
	if (!st.id_lo || id < st.id_lo)
		st.id_lo = id;
	if (id > st.id_hi)
		st.id_hi = id;
}

/* Forget key @i; its id is a dead key's from now on. */
static void key_forget(int i)
{
	dead_add(st.keys[i].id);
	st.keys[i] = st.keys[--st.nr_keys];
}

static __u64 pick_id(void)
{
	__u32 r = rnd(100);
	int n = st.nr_dead < MAX_DEAD ? st.nr_dead : MAX_DEAD;

	if (r < 50 && st.nr_keys)
		return st.keys[rnd(st.nr_keys)].id;
	if (r < 65 && n)
		return st.dead[rnd(n)];
	if (r < 70)
		return 0;
	if (r < 78) {
		static const __u64 huge[] = {
			~0ULL, 1ULL << 63, 1ULL << 32, 0xffffffffULL,
			(1ULL << 31) - 1, ~0ULL - 1,
		};
		return huge[rnd(ARRAY_SIZE(huge))];
	}
	/* any key of this run: other processes' keys too */
	if (st.id_lo)
		return st.id_lo + rnd(st.id_hi - st.id_lo + 16);
	return 1 + rnd(16);
}

/* A name, and whether the kernel must refuse it (or NULL). */
static const char *pick_name(__u64 *words, bool *anonymous)
{
	char *name = (char *)words;
	__u32 r = rnd(100);
	int len, i;

	memset(words, 0, TASKLOCAL_NAME_MAX);
	*anonymous = false;
	if (r < 45 && st.nr_keys < MAX_KEYS - 2) {
		snprintf(name, TASKLOCAL_NAME_MAX, NAME_PREFIX "%d.%d.%u",
			 st.index, st.pid, st.names++);
		return NULL;
	}
	if (r < 55 && st.nr_keys) {	/* taken, or was: EEXIST or not */
		memcpy(name, st.keys[rnd(st.nr_keys)].name,
		       TASKLOCAL_NAME_MAX);
		*anonymous = !name[0];
		return NULL;
	}
	if (r < 75) {
		*anonymous = true;
		return NULL;
	}
	/* the bad ones all start with the prefix: a leak is still found */
	memcpy(name, NAME_PREFIX, strlen(NAME_PREFIX));
	len = strlen(NAME_PREFIX);
	switch (rnd(6)) {
	case 0:
		memset(name + len, 'a', TASKLOCAL_NAME_MAX - len);
		return "a name of 64 bytes, unterminated";
	case 1:
		name[len] = 0x80 + rnd(128);
		return "a name byte >= 0x80";
	case 2:
		name[len] = "/ \t*\n@"[rnd(6)];
		return "a name byte outside [A-Za-z0-9_.:-]";
	case 3:
		name[len] = 'x';
		name[len + 2 + rnd(TASKLOCAL_NAME_MAX - len - 2)] = 'y';
		return "a name with bytes after its NUL";
	case 4:
		name[0] = '\0';
		name[1 + rnd(TASKLOCAL_NAME_MAX - 1)] = 1 + rnd(255);
		return "an empty name with bytes after its NUL";
	default:
		for (i = len; i < TASKLOCAL_NAME_MAX - 1; i++)
			name[i] = 'b';
		return NULL;	/* 63 bytes: the longest name there is */
	}
}

/* Building the structures; each sets cl->bad when the input is invalid */

static void bad(struct call *cl, const char *why)
{
	if (!cl->bad)
		cl->bad = why;
}

static void build_key_create(struct call *cl)
{
	struct tasklocal_key_create *kc = &cl->u.key_create;
	bool anonymous;
	const char *why;
	__u32 r = rnd(100);

	kc->flags = rnd(4);
	if (r < 8) {
		kc->flags |= 1U << (3 + rnd(29));
		bad(cl, "an unknown key flag");
	}
	why = pick_name(kc->name, &anonymous);
	if (why)
		bad(cl, why);
	else if (anonymous && !(kc->flags & TASKLOCAL_KEY_FD))
		bad(cl, "an anonymous key without TASKLOCAL_KEY_FD");
	if (rnd(3) == 0) {
		kc->initial_len = value_len();
		kc->initial = user_ptr();
		cl->e2big_ok = kc->initial_len > st.v.max_value_size;
	} else if (rnd(10) == 0) {
		kc->initial = user_ptr();	/* no length: ignored */
	}
	if (rnd(8) == 0) {		/* out fields: ignored */
		kc->id = next();
		kc->hash = next();
		kc->fd = next();
	} else {
		kc->fd = -1;
	}
	if (rnd(4) == 0) {
		kc->flags |= TASKLOCAL_KEY_MODE;
		kc->mode = rnd(TASKLOCAL_PERM_MASK + 1);
	}
	if (rnd(20) == 0) {
		kc->mode |= 1U << rnd(32);
		if (!(kc->flags & TASKLOCAL_KEY_MODE) ||
		    kc->mode & ~TASKLOCAL_PERM_MASK)
			bad(cl, "a mode without KEY_MODE, or an unknown bit");
	}
	if (rnd(20) == 0) {
		if (rnd(2))
			kc->reserved0 = 1U << rnd(32);
		else
			kc->reserved = 1ULL << rnd(64);
		bad(cl, "a non-zero reserved field");
	}
}

static void build_key_delete(struct call *cl)
{
	struct tasklocal_key_delete *kd = &cl->u.key_delete;

	kd->id = pick_id();
	if (rnd(15) == 0) {
		kd->flags = 1U << rnd(32);
		bad(cl, "non-zero flags");
	}
	if (rnd(15) == 0) {
		kd->reserved = 1U << rnd(32);
		bad(cl, "a non-zero reserved field");
	}
}

/* An element size for KEY_LIST and KEY_FIND: mostly right, or any edge. */
static __u32 pick_info_size(struct call *cl)
{
	if (rnd(6) == 0) {
		const __u32 sizes[] = {
			0, 8, TASKLOCAL_KEY_INFO_SIZE_VER0 - 8,
			TASKLOCAL_KEY_INFO_SIZE_VER0 - 1,
			TASKLOCAL_KEY_INFO_SIZE_VER0,
			TASKLOCAL_KEY_INFO_SIZE_VER0 + 1,
			sizeof(struct tasklocal_key_info) + 4,
			sizeof(struct tasklocal_key_info) + 8,
			TASKLOCAL_KEY_INFO_SIZE_MAX,
			TASKLOCAL_KEY_INFO_SIZE_MAX + 8, 1U << 31, ~0U,
			rnd(2 * TASKLOCAL_KEY_INFO_SIZE_MAX),
		};
		__u32 size = sizes[rnd(ARRAY_SIZE(sizes))];

		if (size < TASKLOCAL_KEY_INFO_SIZE_VER0 ||
		    size > TASKLOCAL_KEY_INFO_SIZE_MAX || size % 8)
			bad(cl, "an element size out of range");
		return size;
	}
	return sizeof(struct tasklocal_key_info);
}

static void build_key_list(struct call *cl)
{
	struct tasklocal_key_list *kl = &cl->u.key_list;

	kl->keys = user_ptr();
	kl->count = rnd(3) ? rnd(64) : edge32(rnd(2) ? 4096 :
					      st.v.max_user_keys);
	kl->start_id = rnd(2) ? 0 : pick_id();
	if (rnd(8) == 0) {
		kl->total = next();
		kl->next_id = next();
	}
	if (rnd(15) == 0) {
		kl->reserved = 1ULL << rnd(64);
		bad(cl, "a non-zero reserved field");
	}
	if (rnd(15) == 0) {
		kl->reserved1 = 1U << rnd(32);
		bad(cl, "a non-zero reserved field");
	}
	kl->info_size = pick_info_size(cl);
}

/* A name made, taken or bad, as KEY_CREATE's; or the name of a dead key */
static void build_key_find(struct call *cl)
{
	struct tasklocal_key_find *kf = &cl->u.key_find;
	bool anonymous;
	const char *why;

	why = pick_name(kf->name, &anonymous);
	if (why)
		bad(cl, why);
	else if (anonymous)
		bad(cl, "an empty name: anonymous keys have none to find");
	kf->info = user_ptr();
	kf->info_size = pick_info_size(cl);
	if (rnd(15) == 0) {
		kf->flags = 1U << rnd(32);
		bad(cl, "an unknown KEY_FIND flag");
	}
	if (rnd(15) == 0) {
		kf->reserved = 1ULL << rnd(64);
		bad(cl, "a non-zero reserved field");
	}
	/* each is refused before any lookup: not ENOENT */
	if (cl->bad) {
		cl->only[0] = EINVAL;
		cl->only[1] = EFAULT;
	}
}

/* A KEY_FIND that succeeded into readable memory found what it asked. */
static void check_key_find(struct call *cl)
{
	const struct tasklocal_key_find *kf = &cl->u.key_find;
	const unsigned char *p = (const unsigned char *)(uintptr_t)kf->info;
	struct tasklocal_key_info ki;

	if (p < st.data ||
	    p + TASKLOCAL_KEY_INFO_SIZE_VER0 > st.data + st.data_len)
		return;
	memset(&ki, 0, sizeof(ki));
	memcpy(&ki, p, TASKLOCAL_KEY_INFO_SIZE_VER0);
	if (memcmp(ki.name, kf->name, TASKLOCAL_NAME_MAX) || !ki.id ||
	    ki.flags & TASKLOCAL_KEY_DEAD)
		fail(cl, "KEY_FIND of %.64s: id %llu, name %.64s, flags 0x%x",
		     (const char *)kf->name, (unsigned long long)ki.id,
		     (const char *)ki.name, ki.flags);
}

static void build_value(struct call *cl)
{
	struct tasklocal_value *uv = &cl->u.value;
	__u32 r = rnd(100);

	uv->key_id = pick_id();
	uv->value = user_ptr();
	if (cl->c == C_SET) {
		uv->len = value_len();
		cl->e2big_ok = uv->len > st.v.max_value_size;
		if (r < 60) {
			uv->flags = 0;
		} else if (r < 90) {
			uv->flags = 1 + rnd(2);
		} else if (r < 95) {
			uv->flags = TASKLOCAL_SET_MASK;
			bad(cl, "both SET_CREATE and SET_REPLACE");
		} else {
			uv->flags = 1U << (2 + rnd(30));
			bad(cl, "an unknown SET flag");
		}
	} else if (cl->c == C_GET) {
		uv->len = rnd(2) ? 64 + rnd(8192) : edge32(st.v.max_value_size);
		if (r < 6) {
			uv->flags = 1U << rnd(32);
			bad(cl, "GET flags are not zero");
		}
	} else {	/* REMOVE: only the key */
		uv->len = 0;
		uv->value = 0;
		if (r < 5) {
			uv->flags = 1U << rnd(32);
			bad(cl, "REMOVE flags are not zero");
		} else if (r < 10) {
			uv->len = 1 + rnd(64);
			bad(cl, "REMOVE with a length");
		} else if (r < 15) {
			uv->value = user_ptr() | 1;
			bad(cl, "REMOVE with a value pointer");
		}
	}
	if (rnd(20) == 0) {
		uv->reserved = 1ULL << rnd(64);
		bad(cl, "a non-zero reserved field");
	}
}

static __s32 pick_pid(struct call *cl);
static __s32 pick_pidfd(struct call *cl);

/* CLEAR: the caller's table, or another task's by pid or pidfd, or a key. */
static void build_clear(struct call *cl)
{
	struct tasklocal_clear *uc = &cl->u.clear;

	if (rnd(4) == 0)
		uc->removed = next();	/* out */
	switch (rnd(8)) {
	case 0:
		uc->flags = TASKLOCAL_CLEAR_PID;
		uc->target = pick_pid(cl);
		break;
	case 1:
		uc->flags = TASKLOCAL_CLEAR_PIDFD;
		uc->target = pick_pidfd(cl);
		break;
	case 2:
		uc->flags = TASKLOCAL_CLEAR_KEY;
		uc->key_id = pick_id();
		break;
	}
	if (rnd(15) == 0) {
		uc->flags |= 1U << rnd(32);
		if (uc->flags & ~TASKLOCAL_CLEAR_MASK ||
		    (uc->flags & TASKLOCAL_CLEAR_PID &&
		     uc->flags & TASKLOCAL_CLEAR_PIDFD))
			bad(cl, "unknown or conflicting flags");
	}
	if (rnd(15) == 0) {
		uc->reserved = next() | 1;
		bad(cl, "non-zero reserved");
	}
}

static int pick_key_fd(void)
{
	int i;

	for (i = 0; i < st.nr_keys; i++)
		if (st.keys[i].fd >= 0)
			return st.keys[i].fd;
	return -1;
}

/* A pid to dump: what is bad must not succeed. */
static __s32 pick_pid(struct call *cl)
{
	__u32 r = rnd(100);
	int n = st.nr_reaped < MAX_REAPED ? st.nr_reaped : MAX_REAPED;

	if (r < 30)
		return st.pid;
	if (r < 45 && st.nr_children)
		return st.children[rnd(st.nr_children)].pid;
	if (r < 60 && n)
		return st.reaped[rnd(n)];	/* may be reused */
	if (r < 70)
		return 1;
	if (r < 75)
		return getppid();
	if (r < 85) {
		bad(cl, "a pid <= 0");
		return rnd(2) ? 0 : -(__s32)rnd(1U << 31) - 1;
	}
	if (r < 90)
		return 0x7fffffff;
	return 2 + rnd(32768);
}

/* An fd to dump as a pidfd: forged ones must not succeed. */
static __s32 pick_pidfd(struct call *cl)
{
	__u32 r = rnd(100);
	int n = st.nr_reaped_pidfd < MAX_REAPED ?
		st.nr_reaped_pidfd : MAX_REAPED;
	int fd = -1;

	if (r < 25) {
		fd = st.self_pidfd;
	} else if (r < 35 && st.nr_children) {
		fd = st.children[rnd(st.nr_children)].pidfd;
	} else if (r < 50 && n) {
		fd = st.reaped_pidfd[rnd(n)];
		bad(cl, "a pidfd of a reaped child");
	} else if (r < 60) {
		fd = st.fifo_fd;
		bad(cl, "a FIFO named [pidfd]");
	} else if (r < 70) {
		fd = st.event_fd;
		bad(cl, "an eventfd as a pidfd");
	} else if (r < 78) {
		fd = st.null_fd;
		bad(cl, "/dev/null as a pidfd");
	} else if (r < 83) {
		fd = st.dev;
		bad(cl, "/dev/tasklocal as a pidfd");
	} else if (r < 88) {
		fd = pick_key_fd();
		bad(cl, "a key fd as a pidfd");
	} else if (r < 94) {
		fd = 900 + rnd(100);		/* not open */
		bad(cl, "an fd that is not open");
	} else {
		bad(cl, "a negative fd");
		return -(__s32)rnd(1U << 31) - 1;
	}
	if (fd < 0) {
		cl->bad = "a closed fd";
		return -1;
	}
	return fd;
}

static void build_table_dump(struct call *cl)
{
	struct tasklocal_table_dump *d = &cl->u.dump;
	__u32 r = rnd(100);

	if (r < 30) {
		d->flags = 0;
		if (rnd(10) == 0) {
			d->target = 1 + rnd(100);
			bad(cl, "a target without PID or PIDFD");
		}
	} else if (r < 60) {
		d->flags = TASKLOCAL_DUMP_PID;
		d->target = pick_pid(cl);
	} else if (r < 93) {
		d->flags = TASKLOCAL_DUMP_PIDFD;
		d->target = pick_pidfd(cl);
	} else if (r < 96) {
		d->flags = TASKLOCAL_DUMP_PID | TASKLOCAL_DUMP_PIDFD;
		d->target = st.self_pidfd;
		bad(cl, "both DUMP_PID and DUMP_PIDFD");
	} else {
		d->flags = 1U << (3 + rnd(29));
		bad(cl, "an unknown dump flag");
	}
	if (rnd(2))
		d->flags |= TASKLOCAL_DUMP_VALUES;
	d->slots = user_ptr();
	d->nr_slots = rnd(2) ? 16 + rnd(64) : edge32(rnd(2) ?
		st.v.map_initial_len : st.v.max_entries);
	d->values = user_ptr();
	d->values_len = rnd(2) ? rnd(8192) : edge32(st.v.max_value_size);
	if (rnd(8) == 0) {	/* out fields: ignored */
		d->pid = next();
		d->len = next();
		d->size = next();
		d->expunged = next();
		d->value_bytes = next();
	}
	if (rnd(30) == 0) {
		d->reserved0 = 1U << rnd(32);
		bad(cl, "a non-zero reserved0");
	}
	if (rnd(30) == 0) {
		d->reserved[rnd(2)] = 1ULL << rnd(64);
		bad(cl, "a non-zero reserved field");
	}
}

static void build_table_list(struct call *cl)
{
	struct tasklocal_table_list *l = &cl->u.list;

	l->tasks = user_ptr();
	l->count = rnd(4) ? rnd(128) : rnd(20) ? edge32(256) : ~0U;
	if (rnd(8) == 0)
		l->total = next();
	if (rnd(20) == 0) {
		l->flags = 1U << rnd(32);
		bad(cl, "non-zero flags");
	}
	if (rnd(20) == 0) {
		l->reserved = 1U << rnd(32);
		bad(cl, "a non-zero reserved field");
	}
}

/* Out-only structures: what they hold going in does not matter. */
static void build_out(struct call *cl)
{
	unsigned char *p = (unsigned char *)&cl->u;
	size_t i;

	if (rnd(4) == 0)
		for (i = 0; i < sizeof(cl->u); i++)
			p[i] = next();
}

/* How big a structure the command number says, and a tail of what. */
static void pick_size(struct call *cl, size_t ksize, bool *nonzero_tail)
{
	static const char * const hows[] = { "exact", "larger, zero tail",
					     "larger, non-zero tail",
					     "smaller" };
	unsigned int dir = _IOC_DIR(cmds[cl->c].cmd);
	__u32 r = rnd(100), how;

	*nonzero_tail = false;
	cl->usize = ksize;
	if (r < 80) {
		how = 0;
	} else if (r < 92) {
		how = r < 87 ? 1 : 2;
		const size_t larger[] = {
			ksize + 1, ksize + 8, ksize + 64, ksize + 1 + rnd(512),
			PAGE, IOC_SIZE_MAX,
		};

		cl->usize = larger[rnd(ARRAY_SIZE(larger))];
		*nonzero_tail = how == 2;
		/*
		 * Only a structure the kernel reads has its tail checked,
		 * by copy_struct_from_user(), before anything else.
		 */
		if (*nonzero_tail && dir & _IOC_WRITE) {
			bad(cl, "non-zero bytes past the structure");
			cl->only[0] = E2BIG;
			cl->only[1] = EFAULT;
			cl->e2big_ok = true;
		}
	} else {
		how = 3;
		/* CLEAR's and KEY_LIST's first structures are still ABI */
		size_t first = cl->c == C_CLEAR ? TASKLOCAL_CLEAR_SIZE_VER0 :
			       cl->c == C_KEY_LIST ? TASKLOCAL_KEY_LIST_SIZE_VER0 :
			       ksize;
		const size_t smaller[] = { 0, 1, first - 8, first - 1,
					   rnd(first) };

		cl->usize = smaller[rnd(ARRAY_SIZE(smaller))];
		cl->only[0] = EINVAL;	/* before the structure is read */
		bad(cl, "a structure smaller than this ABI's");
	}
	cl->size_how = hows[how];
	cl->cmd = _IOC(dir, TASKLOCAL_IOC_MAGIC, _IOC_NR(cmds[cl->c].cmd),
		       cl->usize);
}

/* Not a command: wrong direction bits, or a number that is none. */
static void build_unknown(struct call *cl)
{
	static const unsigned char nrs[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13, 0x20,
		0x21, 0x30,
	};
	unsigned int nr, dir, i;
	const struct cmd_def *def;
	bool known;

	build_out(cl);
	if (rnd(2)) {
		def = &cmds[rnd(C_UNKNOWN)];
		nr = _IOC_NR(def->cmd);
		do
			dir = rnd(4);
		while (dir == _IOC_DIR(def->cmd));
		cl->usize = rnd(4) ? _IOC_SIZE(def->cmd) : rnd(512);
		cl->size_how = "wrong direction";
	} else {
		do {
			nr = rnd(256);
			known = false;
			for (i = 0; i < ARRAY_SIZE(nrs); i++)
				known |= nr == nrs[i];
		} while (known);
		dir = rnd(4);
		cl->usize = rnd(4) ? 8 * rnd(16) : rnd(IOC_SIZE_MAX + 1);
		cl->size_how = "unknown number";
	}
	if (dir == _IOC_NONE)
		cl->usize = rnd(2) ? 0 : cl->usize;
	cl->cmd = _IOC(dir, TASKLOCAL_IOC_MAGIC, nr, cl->usize);
	bad(cl, "not a command");
}

/* Where the structure goes; returns the address passed to ioctl(). */
static unsigned char *place(struct call *cl, bool *readable, bool *ro)
{
	size_t len = cl->usize ? cl->usize : 1;
	__u32 r = rnd(100);

	*readable = true;
	*ro = false;
	if (r < 88) {
		cl->arg_how = "valid";
		return st.argbuf;
	}
	if (r < 92) {
		cl->arg_how = "unaligned";
		return st.argbuf + 1 + rnd(7);
	}
	if (r < 94) {
		cl->arg_how = "running into an unmapped page";
		return st.argbuf + ARG_BYTES - 1 - rnd(len);
	}
	if (r < 97) {
		cl->arg_how = "read-only";
		*ro = true;
		return st.robuf;
	}
	*readable = false;
	if (r < 98) {
		cl->arg_how = "NULL";
		return NULL;
	}
	if (r < 99) {
		cl->arg_how = "16";
		return (unsigned char *)16;
	}
	cl->arg_how = "a kernel address";
	return (unsigned char *)(uintptr_t)KERNEL_ADDR;
}

/* Write the structure at @arg, with its tail. */
static void fill(struct call *cl, unsigned char *arg, size_t ksize,
		 bool nonzero_tail)
{
	size_t room, n;

	room = arg == st.robuf ? ARG_BYTES :
	       (size_t)(st.argbuf + ARG_BYTES - arg);
	cl->room = room;
	n = cl->usize < ksize ? cl->usize : ksize;
	if (n > room)
		n = room;
	memcpy(arg, &cl->u, n);
	if (cl->usize > ksize && room > ksize) {
		n = cl->usize < room ? cl->usize : room;
		memset(arg + ksize, 0, n - ksize);
		if (nonzero_tail)
			arg[ksize + rnd(n - ksize)] = 1 + rnd(255);
	}
	cl->pre_len = cl->usize < room ? cl->usize : room;
	if (cl->pre_len > DUMP_BYTES)
		cl->pre_len = DUMP_BYTES;
	memcpy(cl->pre, arg, cl->pre_len);
}

/* After a success: track what it made, and check what it said. */
static void key_created(struct call *cl)
{
	struct tasklocal_key_create kc;
	struct key *k;

	if (cl->room < sizeof(kc)) {
		fail(cl, "KEY_CREATE: success, but its structure was not all mapped");
		return;
	}
	memcpy(&kc, cl->arg, sizeof(kc));
	id_seen(kc.id);
	if (kc.flags & TASKLOCAL_KEY_FD ? kc.fd < 0 : kc.fd != -1)
		fail(cl, "KEY_CREATE: success with flags 0x%x gave fd %d",
		     kc.flags, kc.fd);
	if (st.nr_keys == MAX_KEYS) {	/* no room to track it: drop it */
		if (kc.fd >= 0) {
			close(kc.fd);
		} else {
			struct tasklocal_key_delete kd = { .id = kc.id };

			ioctl(st.dev, TASKLOCAL_IOC_KEY_DELETE, &kd);
		}
		dead_add(kc.id);
		return;
	}
	k = &st.keys[st.nr_keys++];
	k->id = kc.id;
	k->fd = kc.flags & TASKLOCAL_KEY_FD ? kc.fd : -1;
	k->owner = st.pid;
	memcpy(k->name, kc.name, sizeof(k->name));
}

static void key_deleted(struct call *cl)
{
	int i;

	for (i = 0; i < st.nr_keys; i++)
		if (st.keys[i].id == cl->u.key_delete.id) {
			if (st.keys[i].fd >= 0)
				fail(cl, "KEY_DELETE of an fd-owned key succeeded");
			key_forget(i);
			return;
		}
	dead_add(cl->u.key_delete.id);
}

static void check_success(struct call *cl)
{
	union tl_arg out;
	size_t n = sizeof(out);

	if (!cl->arg)
		return;
	memset(&out, 0, sizeof(out));
	if (n > cl->usize)
		n = cl->usize;
	if (n > cl->room)
		n = cl->room;
	memcpy(&out, cl->arg, n);
	switch (cl->c) {
	case C_VERSION:
		if (out.version.reserved[0] | out.version.reserved[1] |
		    out.version.reserved[2] | out.version.reserved[3])
			fail(cl, "VERSION: reserved (out) not zero");
		break;
	case C_STATS:
		if (out.stats.reserved[0] | out.stats.reserved[3])
			fail(cl, "STATS: reserved (out) not zero");
		break;
	case C_KEY_CREATE:
		key_created(cl);
		break;
	case C_KEY_DELETE:
		key_deleted(cl);
		break;
	case C_KEY_FIND:
		check_key_find(cl);
		break;
	case C_KEY_LIST:
		if (out.key_list.count > cl->u.key_list.count)
			fail(cl, "KEY_LIST: %u keys filled in, room for %u",
			     out.key_list.count, cl->u.key_list.count);
		break;
	case C_TABLE_DUMP:
		if (out.dump.nr_slots > cl->u.dump.nr_slots ||
		    out.dump.len & (out.dump.len - 1) ||
		    out.dump.nr_slots > out.dump.len)
			fail(cl, "TABLE_DUMP: %u slots filled in, room for %u, table of %u",
			     out.dump.nr_slots, cl->u.dump.nr_slots,
			     out.dump.len);
		break;
	case C_TABLE_LIST:
		if (out.list.count > cl->u.list.count ||
		    out.list.count > out.list.total)
			fail(cl, "TABLE_LIST: %u tasks filled in, room for %u, total %u",
			     out.list.count, cl->u.list.count, out.list.total);
		break;
	}
}

static void (* const builders[NR_CMDS])(struct call *cl) = {
	[C_VERSION] = build_out,
	[C_KEY_CREATE] = build_key_create,
	[C_KEY_DELETE] = build_key_delete,
	[C_KEY_LIST] = build_key_list,
	[C_KEY_FIND] = build_key_find,
	[C_SET] = build_value,
	[C_GET] = build_value,
	[C_REMOVE] = build_value,
	[C_CLEAR] = build_clear,
	[C_TABLE_DUMP] = build_table_dump,
	[C_TABLE_LIST] = build_table_list,
	[C_STATS] = build_out,
	[C_UNKNOWN] = build_out,
};

static void one_call(void)
{
	static const int rich[] = {
		C_KEY_CREATE, C_KEY_DELETE, C_SET, C_GET, C_REMOVE,
		C_TABLE_DUMP,
	};
	static struct call cl;
	bool nonzero_tail = false, readable, ro;
	unsigned char *arg;
	size_t ksize;
	int err;

	memset(&cl, 0, sizeof(cl));
	cl.c = rnd(40);
	if (cl.c >= NR_CMDS)	/* more of those with most to get wrong */
		cl.c = rich[cl.c % ARRAY_SIZE(rich)];
	builders[cl.c](&cl);
	if (cl.c == C_UNKNOWN) {
		build_unknown(&cl);
		ksize = sizeof(cl.u);
	} else {
		ksize = _IOC_SIZE(cmds[cl.c].cmd);
		pick_size(&cl, ksize, &nonzero_tail);
	}

	arg = place(&cl, &readable, &ro);
	if (ro && mprotect(st.robuf, ARG_BYTES, PROT_READ | PROT_WRITE))
		ro = false;
	if (arg == st.robuf && !ro)
		readable = false;
	if (readable) {
		fill(&cl, arg, ksize, nonzero_tail);
	} else {
		cl.pre_len = ksize < DUMP_BYTES ? ksize : DUMP_BYTES;
		memcpy(cl.pre, &cl.u, cl.pre_len);
	}
	if (ro)
		mprotect(st.robuf, ARG_BYTES, PROT_READ);

	err = ioctl(st.dev, cl.cmd, arg) < 0 ? errno : 0;

	__atomic_fetch_add(&st.slot->counts[cl.c][err < NR_ERRNO ? err :
		NR_ERRNO - 1], 1, __ATOMIC_RELAXED);
	count_add(&st.slot->calls, 1);
	if (st.child)
		count_add(&st.slot->child_calls, 1);
	if (!err && cl.bad) {
		fail(&cl, "%s: success on invalid input (%s)", cmds[cl.c].name,
		     cl.bad);
	} else if (err && !documented(cl.c, err)) {
		fail(&cl, "%s errno %s", cmds[cl.c].name, errname(err));
	} else if (err && cl.only[0] && err != cl.only[0] &&
		   err != cl.only[1]) {
		fail(&cl, "%s errno %s, not %s, for %s", cmds[cl.c].name,
		     errname(err), errname(cl.only[0]), cl.bad);
	} else if (err == E2BIG && !cl.e2big_ok) {
		fail(&cl, "%s errno E2BIG: no non-zero tail, nothing too long",
		     cmds[cl.c].name);
	} else if (!err) {
		/* what the kernel wrote is readable where it wrote it */
		cl.arg = arg && readable && cl.usize <= ARG_BYTES ? arg : NULL;
		check_success(&cl);
	}
}

/* Processes and fds */

static void open_fds(void)
{
	char path[128];

	st.self_pidfd = syscall(SYS_pidfd_open, st.pid, 0);
	snprintf(path, sizeof(path), "%s/[pidfd]", st.sh->tmpdir);
	st.fifo_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	st.event_fd = eventfd(0, EFD_CLOEXEC);
	st.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
}

static void reaped_add(pid_t pid, int pidfd)
{
	int i = st.nr_reaped_pidfd % MAX_REAPED;

	st.reaped[st.nr_reaped++ % MAX_REAPED] = pid;
	if (st.nr_reaped >= 2 * MAX_REAPED)
		st.nr_reaped -= MAX_REAPED;
	if (pidfd < 0)
		return;
	if (st.nr_reaped_pidfd >= MAX_REAPED)
		close(st.reaped_pidfd[i]);
	st.reaped_pidfd[i] = pidfd;
	st.nr_reaped_pidfd++;
	if (st.nr_reaped_pidfd >= 2 * MAX_REAPED)
		st.nr_reaped_pidfd -= MAX_REAPED;
}

static void reap(int i)
{
	struct child ch = st.children[i];
	int status;

	st.children[i] = st.children[--st.nr_children];
	if (waitpid(ch.pid, &status, 0) != ch.pid) {
		fail(NULL, "waitpid %d: %s", ch.pid, strerror(errno));
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail(NULL, "child %d (%s) %s %d", ch.pid,
		     ch.exec ? "execve'd" : "forked",
		     WIFEXITED(status) ? "exited with status" :
		     "was killed by signal",
		     WIFEXITED(status) ? WEXITSTATUS(status) :
		     WTERMSIG(status));
	reaped_add(ch.pid, ch.pidfd);
}

static void worker_loop(__u64 calls);
static void cleanup(void);

static void __attribute__((noreturn)) exec_child(__u64 seed, __u64 calls)
{
	char fdslot[32], s[24], n[24];
	char *argv[8];

	snprintf(fdslot, sizeof(fdslot), "%d:%d", st.shm_fd, st.index);
	snprintf(s, sizeof(s), "%llu", (unsigned long long)seed);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)calls);
	argv[0] = "fuzz";
	argv[1] = "-c";
	argv[2] = fdslot;
	argv[3] = "-s";
	argv[4] = s;
	argv[5] = "-n";
	argv[6] = n;
	argv[7] = NULL;
	execv("/proc/self/exe", argv);
	fail(NULL, "execv /proc/self/exe: %s", strerror(errno));
	_exit(127);
}

/*
 * A child: a few hundred calls of its own stream, then it exits. Returns
 * the calls it is to make, which count against its parent's share.
 */
static __u64 spawn(void)
{
	__u64 calls = 50 + rnd(250), seed = next();
	bool exec = rnd(3) == 0;
	struct child *ch;
	pid_t pid;
	int i;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail(NULL, "fork: %s", strerror(errno));
		return 0;
	}
	if (!pid) {
		if (exec)
			exec_child(seed, calls);
		seed_rng(seed, 0);
		st.child = true;
		st.pid = getpid();
		for (i = 0; i < st.nr_children; i++)
			if (st.children[i].pidfd >= 0)
				close(st.children[i].pidfd);
		st.nr_children = 0;
		close(st.self_pidfd);
		st.self_pidfd = syscall(SYS_pidfd_open, st.pid, 0);
		worker_loop(calls);
		cleanup();
		_exit(0);
	}
	ch = &st.children[st.nr_children++];
	ch->pid = pid;
	ch->exec = exec;
	ch->pidfd = rnd(2) ? syscall(SYS_pidfd_open, pid, 0) : -1;
	__atomic_fetch_add(exec ? &st.slot->execs : &st.slot->forks, 1,
			   __ATOMIC_RELAXED);
	return calls;
}

/* Close one of the fds this process owns (reopened if it needs it). */
static void close_some_fd(void)
{
	int i, fd;

	switch (rnd(6)) {
	case 0:
	case 1:
		for (i = 0; i < st.nr_keys; i++)
			if (st.keys[i].fd >= 0)
				break;
		if (i == st.nr_keys)
			return;
		close(st.keys[i].fd);	/* the key dies */
		key_forget(i);
		return;
	case 2:
		close(st.self_pidfd);
		st.self_pidfd = syscall(SYS_pidfd_open, st.pid, 0);
		return;
	case 3:
		close(st.fifo_fd);
		close(st.event_fd);
		close(st.null_fd);
		close(st.self_pidfd);
		open_fds();
		return;
	case 4:
		fd = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fail(NULL, "reopen %s: %s", TASKLOCAL_DEVICE,
			     strerror(errno));
			return;
		}
		close(st.dev);
		st.dev = fd;
		return;
	default:
		if (st.nr_children) {
			i = rnd(st.nr_children);
			if (st.children[i].pidfd >= 0)
				close(st.children[i].pidfd);
			st.children[i].pidfd = -1;
		}
		return;
	}
}

/* Returns how many calls the action accounts for. */
static __u64 action(void)
{
	__u32 r = rnd(8);

	if (r < 3 && !st.child) {
		if (st.nr_children == MAX_CHILDREN) {
			reap(rnd(st.nr_children));
			return 0;
		}
		return spawn();
	}
	if (r < 5 && st.nr_children) {
		reap(rnd(st.nr_children));
		return 0;
	}
	close_some_fd();
	return 0;
}

/* Calls in all, the calls of the children it forks included. */
static void worker_loop(__u64 calls)
{
	__u64 done = 0;

	while (done < calls) {
		if (rnd(ACTION_EVERY) == 0) {
			done += action();
			continue;
		}
		one_call();
		done++;
	}
}

/* Delete the named keys this process made, close the key fds it has. */
static void cleanup(void)
{
	struct tasklocal_key_delete kd;
	int i, err;

	while (st.nr_children)
		reap(0);
	for (i = 0; i < st.nr_keys; i++) {
		if (st.keys[i].fd >= 0) {
			close(st.keys[i].fd);
			continue;
		}
		if (st.keys[i].owner != st.pid)
			continue;
		memset(&kd, 0, sizeof(kd));
		kd.id = st.keys[i].id;
		err = ioctl(st.dev, TASKLOCAL_IOC_KEY_DELETE, &kd) ? errno : 0;
		if (err && err != ENOENT)	/* ENOENT: deleted by another */
			fail(NULL, "KEY_DELETE %llu (%.64s) at the end: %s",
			     (unsigned long long)kd.id, st.keys[i].name,
			     errname(err));
	}
	st.nr_keys = 0;
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len + PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* an unmapped page after it */
	munmap((char *)p + len, PAGE);
	return p;
}

static int setup(void)
{
	size_t i;

	st.dev = dev_open();
	if (st.dev < 0)
		return -1;
	if (ioctl(st.dev, TASKLOCAL_IOC_VERSION, &st.v)) {
		printf("Bail out! TASKLOCAL_IOC_VERSION: %s\n",
		       strerror(errno));
		return -1;
	}
	st.data_len = 2 * st.v.max_value_size + 64 * 1024;
	st.data_len = (st.data_len + PAGE - 1) & ~(PAGE - 1);
	st.argbuf = map(ARG_BYTES, PROT_READ | PROT_WRITE);
	st.robuf = map(ARG_BYTES, PROT_READ | PROT_WRITE);
	st.data = map(st.data_len, PROT_READ | PROT_WRITE);
	st.rodata = map(st.data_len, PROT_READ | PROT_WRITE);
	if (!st.argbuf || !st.robuf || !st.data || !st.rodata) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < st.data_len; i++) {
		st.data[i] = next();
		st.rodata[i] = next();
	}
	mprotect(st.rodata, st.data_len, PROT_READ);
	open_fds();
	if (!st.child && !st.index &&
	    (st.self_pidfd < 0 || st.fifo_fd < 0 || st.event_fd < 0 ||
	     st.null_fd < 0))
		diag("not all fds to dump by: pidfd %d, FIFO %d, eventfd %d, /dev/null %d",
		     st.self_pidfd, st.fifo_fd, st.event_fd, st.null_fd);
	return 0;
}

static struct shared *shared_map(int fd)
{
	void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A child after execve(): fresh state, its own stream, the same slot. */
static int main_child(const char *fdslot, __u64 seed, __u64 calls)
{
	int fd, index;

	if (sscanf(fdslot, "%d:%d", &fd, &index) != 2 || index < 0 ||
	    index >= MAX_PROCS)
		return 2;
	st.sh = shared_map(fd);
	if (!st.sh)
		return 3;
	st.shm_fd = fd;
	st.index = index;
	st.slot = &st.sh->slot[index];
	st.pid = getpid();
	st.child = true;
	seed_rng(seed, 0);
	if (setup())
		return 4;
	worker_loop(calls);
	cleanup();
	return 0;
}

static void __attribute__((noreturn))
worker(int index, __u64 seed, __u64 calls)
{
	st.index = index;
	st.slot = &st.sh->slot[index];
	st.slot->seed = seed;
	st.pid = getpid();
	seed_rng(seed, index);
	if (setup())
		_exit(4);
	worker_loop(calls);
	cleanup();
	_exit(0);
}

/* Print what process @k did: calls per command, per errno. */
static void report(int k)
{
	struct slot *s = &st.sh->slot[k];
	char line[1024];
	size_t n;
	__u64 total;
	int c, e;

	diag("process %d (seed %llu): %llu calls (%llu by %u forked and %u execve'd children)",
	     k, (unsigned long long)s->seed, (unsigned long long)s->calls,
	     (unsigned long long)s->child_calls, s->forks, s->execs);
	for (c = 0; c < NR_CMDS; c++) {
		total = 0;
		n = 0;
		line[0] = '\0';
		for (e = 0; e < NR_ERRNO; e++) {
			if (!s->counts[c][e])
				continue;
			total += s->counts[c][e];
			n += snprintf(line + n, sizeof(line) - n, ", %s %u",
				      e == NR_ERRNO - 1 ? ">= 133" : errname(e),
				      s->counts[c][e]);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
		}
		diag("process %d: %-10s %6llu calls%s", k, cmds[c].name,
		     (unsigned long long)total, line);
	}
}

/* The t85 keys of this uid still alive: each one a leak. */
static int sweep(void)
{
	struct tasklocal_key_info info[64];
	struct tasklocal_key_delete kd;
	struct tasklocal_key_list kl;
	int left = 0;
	__u32 i;

	memset(&kl, 0, sizeof(kl));
	do {
		kl.keys = ptr(info);
		kl.count = ARRAY_SIZE(info);
		kl.start_id = kl.next_id;
		kl.info_size = sizeof(info[0]);
		if (ioctl(st.dev, TASKLOCAL_IOC_KEY_LIST, &kl)) {
			diag("KEY_LIST: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < kl.count; i++) {
			if (strncmp((char *)info[i].name, NAME_PREFIX,
				    strlen(NAME_PREFIX)) ||
			    info[i].uid != getuid() ||
			    info[i].flags & (TASKLOCAL_KEY_DEAD |
					     TASKLOCAL_KEY_FD))
				continue;
			diag("left behind: key %llu '%.64s'",
			     (unsigned long long)info[i].id,
			     (char *)info[i].name);
			left++;
			memset(&kd, 0, sizeof(kd));
			kd.id = info[i].id;
			ioctl(st.dev, TASKLOCAL_IOC_KEY_DELETE, &kd);
		}
	} while (kl.next_id);
	return left;
}

int main(int argc, char **argv)
{
	__u64 seed = 1, calls = 100000, share;
	const char *child = NULL;
	int procs = 4, opt, k, status, left;
	pid_t pids[MAX_PROCS];
	struct slot *s;
	char path[128], tmpdir[64], *nl;

	while ((opt = getopt(argc, argv, "s:n:p:c:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			calls = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			procs = atoi(optarg);
			break;
		case 'c':
			child = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || procs < 1 || procs > MAX_PROCS)
		goto usage;
	if (child)
		return main_child(child, seed, calls);

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t85.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	/*
	 * The shared memory is an unlinked file, not a memfd: a kernel
	 * without tmpfs has no memfd_create(). Not O_CLOEXEC: the execve'd
	 * children report in it too.
	 */
	snprintf(path, sizeof(path), "%s/shared", tmpdir);
	st.shm_fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (st.shm_fd < 0 || unlink(path) ||
	    ftruncate(st.shm_fd, sizeof(struct shared))) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		return 1;
	}
	st.sh = shared_map(st.shm_fd);
	if (!st.sh) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	memcpy(st.sh->tmpdir, tmpdir, sizeof(tmpdir));
	snprintf(path, sizeof(path), "%s/[pidfd]", tmpdir);
	if (mkfifo(path, 0600)) {
		printf("Bail out! mkfifo %s: %s\n", path, strerror(errno));
		return 1;
	}
	diag("seed %llu, %llu calls, %d processes, uid %u",
	     (unsigned long long)seed, (unsigned long long)calls, procs,
	     getuid());

	for (k = 0; k < procs; k++) {
		share = calls / procs + (k < (int)(calls % procs));
		pids[k] = fork();
		if (pids[k] < 0) {
			printf("Bail out! fork: %s\n", strerror(errno));
			return 1;
		}
		if (!pids[k])
			worker(k, seed, share);
	}
	for (k = 0; k < procs; k++) {
		s = &st.sh->slot[k];
		if (waitpid(pids[k], &status, 0) != pids[k])
			status = -1;
		if (status && !s->failed) {
			snprintf(s->fail, sizeof(s->fail),
				 "the process ended with status 0x%x", status);
			s->failed = 1;
			s->failures++;
		}
	}

	st.dev = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);
	for (k = 0; k < procs; k++)
		report(k);
	for (k = 0; k < procs; k++) {
		s = &st.sh->slot[k];
		if (!s->failed) {
			tap(true, "fuzz process %d: %llu calls, every errno documented",
			    k, (unsigned long long)s->calls);
			continue;
		}
		nl = strchr(s->fail, '\n');
		if (nl)
			*nl++ = '\0';
		tap(false, "fuzz process %d: %llu calls, %s: %s (%u failures)",
		    k, (unsigned long long)s->calls, "first undocumented",
		    s->fail, s->failures);
		while (nl && *nl) {
			char *end = strchr(nl, '\n');

			if (end)
				*end++ = '\0';
			diag("%s", nl);
			nl = end;
		}
	}
	left = st.dev < 0 ? -1 : sweep();
	tap(!left, "fuzz: no t85 key left behind (%d)", left);
	unlink(path);
	rmdir(st.sh->tmpdir);
	return tap_end();

usage:
	fprintf(stderr, "usage: fuzz [-s SEED] [-n CALLS] [-p PROCS]\n");
	return 2;
}
