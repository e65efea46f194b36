// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress: races on /dev/tasklocal, checked against what the ABI promises.
 *
 * For the duration, threads of four kinds run together on a set of
 * shared named keys ("t80.s<tag>") and on keys made and killed all the
 * time ("t80.k<tag>", "t80.f<tag>" and anonymous fd-owned ones):
 *
 *   value     SET, GET, REMOVE (and now and then CLEAR) on shared keys
 *             and on keys that die under them; every GET is checked
 *             against a model of the thread's own table.
 *   churn     create and delete named keys and fd-owned keys (some with
 *             an initial value, some inheritable); once a deletion has
 *             returned, calls on that id must give ENOENT.
 *   fork      fork children that check what they inherited, use their
 *             own table a little and exit; reap them.
 *   inspect   TABLE_DUMP (by pid, with values) of the other threads and
 *             of the children, TABLE_LIST, STATS, KEY_LIST; every
 *             snapshot is checked for consistency. And CLEAR by pid of
 *             other threads' entries of dead keys, beside the sweeper.
 *
 * Every value is an encoded (key id, thread, sequence number), or for an
 * initial value the tag in its key's name, so a value read anywhere can
 * be told to belong to its key. At the end every key is deleted, every
 * thread joined, every child reaped, and the module-wide counters must be
 * back where they started.
 *
 * usage: stress [-s SEED] [-d SECONDS] [-t THREADS]
 * Prints what it did as "# " lines, one TAP line per invariant, "1..N"
 * last; exits 1 if an invariant was violated.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/tasklocal.h>

#include "tap.h"

#ifndef BIT_ULL
#define BIT_ULL(n)	(1ULL << (n))
#endif

#define NR_SHARED	16	/* shared named keys */
#define POOL_PER_CHURN	16	/* pool slots each churn thread manages */
#define NR_PRIVATE_FD	4	/* fd-owned keys a churn thread keeps */
#define DETAILS		4	/* violations printed per invariant */
#define DETAIL_LEN	240
#define STACK_SIZE	(256 * 1024)
#define SETTLE_MS	5000	/* exit-time release is done by a worker */

/* A value: struct val, then a pad of bytes that follow from it. */
#define VAL_MAGIC	0x76303854U	/* "T80v" */
#define VAL_SET		1U
#define VAL_INITIAL	2U
#define VAL_PAD_MAX	40
#define VAL_MAX		(sizeof(struct val) + VAL_PAD_MAX)

struct val {
	__u32 magic;
	__u32 kind;
	__u64 key;	/* VAL_SET: the key's id; VAL_INITIAL: its tag */
	__u32 thread;
	__u32 seq;
};

/*
 * A pool slot, as one word: 0 while empty, else the key's id, its tag
 * and flags. POOL_DEAD is set only once the deletion has returned.
 */
#define POOL_ID_MASK	0x7fffffffULL
#define POOL_DEAD	BIT_ULL(31)
#define POOL_INHERIT	BIT_ULL(32)
#define POOL_INITIAL	BIT_ULL(33)
#define POOL_FD		BIT_ULL(34)
#define POOL_TAG_SHIFT	35

enum inv {
	INV_GET_OWN,
	INV_GET_OTHER,
	INV_MODEL,
	INV_DEAD_SELF,
	INV_DEAD_OTHER,
	INV_INHERIT,
	INV_CHILD,
	INV_DUMP_SIZE,
	INV_DUMP_HOME,
	INV_DUMP_INDEX,
	INV_DUMP_STALE,
	INV_DUMP_BYTES,
	INV_DUMP_VALUE,
	INV_DUMP_ERR,
	INV_LIST,
	INV_ERRNO,
	INV_RAN,
	INV_END,
	INV_END_STATS,
	INV_END_KEYS,
	NR_INV,
};

static const char *const inv_names[NR_INV] = {
	[INV_GET_OWN] =
		"GET returns the value this thread last set, or the key's initial value",
	[INV_GET_OTHER] = "GET never returns a value that encodes another key",
	[INV_MODEL] =
		"SET (CREATE/REPLACE), REMOVE and GET after REMOVE match the thread's own table",
	[INV_DEAD_SELF] =
		"after KEY_DELETE or close() returned, the thread's calls on the id get ENOENT",
	[INV_DEAD_OTHER] =
		"after a deletion was seen to return, other threads' calls on the id get ENOENT",
	[INV_INHERIT] =
		"a child's GET of an inheritable key gives the parent's value at fork (or the key died)",
	[INV_CHILD] =
		"a child gets no non-inheritable value, and its own SET/GET work",
	[INV_DUMP_SIZE] =
		"TABLE_DUMP: nr_slots == size, threshold == len * 2 / 3, len a power of two",
	[INV_DUMP_HOME] = "TABLE_DUMP: every slot's home == hash & (len - 1)",
	[INV_DUMP_INDEX] = "TABLE_DUMP: every index < len, indexes distinct",
	[INV_DUMP_STALE] =
		"TABLE_DUMP: stale == slots marked TASKLOCAL_SLOT_STALE",
	[INV_DUMP_BYTES] = "TABLE_DUMP: value_bytes == sum of value_len",
	[INV_DUMP_VALUE] =
		"TABLE_DUMP: every copied value decodes to its slot's key",
	[INV_DUMP_ERR] = "TABLE_DUMP fails only with ESRCH, ENODATA or EBUSY",
	[INV_LIST] = "TABLE_LIST and STATS are consistent",
	[INV_ERRNO] = "no call fails with an errno the ABI does not give there",
	[INV_RAN] = "every kind of operation ran",
	[INV_END] = "all threads joined, all keys deleted, all children reaped",
	[INV_END_STATS] =
		"STATS entries, value_bytes and tables are back to their start",
	[INV_END_KEYS] = "no t80. key is left in KEY_LIST",
};

enum op {
	OP_SET,
	OP_GET,
	OP_GET_INITIAL,
	OP_REMOVE,
	OP_CLEAR,
	OP_ENOENT,
	OP_KEY_CREATE,
	OP_KEY_DELETE,
	OP_FD_CREATE,
	OP_FD_CLOSE,
	OP_DEAD_CHECK,
	OP_FORK,
	OP_CHILD_GET,
	OP_CHILD_SET,
	OP_DUMP,
	OP_DUMP_SLOTS,
	OP_DUMP_VALUES,
	OP_DUMP_NOTABLE,
	OP_DUMP_BUSY,
	OP_TABLE_LIST,
	OP_STATS,
	OP_KEY_LIST,
	OP_CLEAR_DEAD,
	OP_CLEAR_DEAD_REMOVED,
	NR_OPS,
};

static const char *const op_names[NR_OPS] = {
	[OP_SET] = "SET",
	[OP_GET] = "GET",
	[OP_GET_INITIAL] = "GET giving the initial value",
	[OP_REMOVE] = "REMOVE",
	[OP_CLEAR] = "CLEAR",
	[OP_ENOENT] = "calls on keys that died meanwhile (ENOENT)",
	[OP_KEY_CREATE] = "KEY_CREATE named",
	[OP_KEY_DELETE] = "KEY_DELETE",
	[OP_FD_CREATE] = "KEY_CREATE fd-owned",
	[OP_FD_CLOSE] = "close of a key's fd",
	[OP_DEAD_CHECK] = "calls on deleted ids (want ENOENT)",
	[OP_FORK] = "children forked and reaped",
	[OP_CHILD_GET] = "GET in children",
	[OP_CHILD_SET] = "SET in children",
	[OP_DUMP] = "TABLE_DUMP",
	[OP_DUMP_SLOTS] = "slots checked in dumps",
	[OP_DUMP_VALUES] = "values decoded in dumps",
	[OP_DUMP_NOTABLE] = "TABLE_DUMP: ESRCH or ENODATA",
	[OP_DUMP_BUSY] = "TABLE_DUMP: EBUSY",
	[OP_TABLE_LIST] = "TABLE_LIST",
	[OP_STATS] = "STATS",
	[OP_KEY_LIST] = "KEY_LIST",
	[OP_CLEAR_DEAD] = "CLEAR of another thread's dead-key entry",
	[OP_CLEAR_DEAD_REMOVED] = "... that removed one",
};

/* What must have happened at least once for the run to mean anything. */
static const enum op ops_needed[] = {
	OP_SET, OP_GET, OP_REMOVE, OP_KEY_CREATE, OP_KEY_DELETE, OP_FD_CREATE,
	OP_FD_CLOSE, OP_DEAD_CHECK, OP_FORK, OP_CHILD_GET, OP_DUMP,
	OP_DUMP_SLOTS, OP_DUMP_VALUES, OP_TABLE_LIST, OP_STATS,
	OP_CLEAR_DEAD,
};

/* Shared with the children (MAP_SHARED): violations and their ops. */
struct shared {
	__u64 count[NR_INV];
	__u32 ndetail[NR_INV];
	char detail[NR_INV][DETAILS][DETAIL_LEN];
	__u64 ops[NR_OPS];
};

enum role { ROLE_VALUE, ROLE_CHURN, ROLE_FORK, ROLE_INSPECT, NR_ROLES };

static const char *const role_names[NR_ROLES] = {
	"value", "churn", "fork", "inspect",
};

enum { ST_NONE, ST_SET, ST_INIT };

/* One key as a thread models its own table's entry for it. */
struct model {
	__u32 id;	/* the key this entry is about (pool slots change) */
	__u8 state;	/* ST_* */
	__u8 inherit;
	__u8 initial;
	__u32 seq;	/* of the value set, with ST_SET */
	__u32 thread;	/* who set it: a child inherits its parent's */
	__u64 tag;
};

/* A key as an operation sees it. */
struct key {
	__u64 id;
	__u64 tag;
	bool inherit;
	bool initial;
	bool shared;	/* alive for the whole run */
	bool dead;	/* its deletion was seen to have returned */
};

struct worker {
	int idx;		/* 1.., 0 is the main thread */
	enum role role;
	int nr;			/* index among its role */
	pthread_t th;
	pid_t tid;
	__u64 rng;
	__u32 seq;
	__u64 ops[NR_OPS];
	struct model shared_m[NR_SHARED];
	struct model *pool_m;	/* value and fork threads: per pool slot */
	int fds[POOL_PER_CHURN];	/* churn: fd of each fd-owned slot */
	int child;		/* fork: 1 in the child */
	struct tasklocal_slot *slots;	/* inspect */
	__u32 room;
	__u8 *values;
	__u32 values_room;
};

static struct shared *sh;
static struct key shared_keys[NR_SHARED];
static __u64 *pool;		/* words, POOL_PER_CHURN per churn thread */
static unsigned int pool_len;
static struct worker *workers;
static unsigned int nr_workers, nr_role[NR_ROLES];
static pid_t *children;		/* per fork thread, 0 when none */
static int stop;
static __u64 next_tag = 1;

static __u64 rnd(struct worker *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(struct worker *w, unsigned int n)
{
	return (rnd(w) >> 32) % n;
}

static __u64 load(const __u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(__u64 *p, __u64 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/*
 * Workers start together, once all are created: creating 64 threads
 * among running ones can take longer than the run on a slow kernel.
 */
static pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;
static bool go;

static void wait_for_go(void)
{
	pthread_mutex_lock(&go_lock);
	while (!go)
		pthread_cond_wait(&go_cond, &go_lock);
	pthread_mutex_unlock(&go_lock);
}

static void say_go(void)
{
	pthread_mutex_lock(&go_lock);
	go = true;
	pthread_cond_broadcast(&go_cond);
	pthread_mutex_unlock(&go_lock);
}

static bool stopping(void)
{
	return __atomic_load_n(&stop, __ATOMIC_ACQUIRE);
}

static const char *who(struct worker *w)
{
	static __thread char buf[48];

	snprintf(buf, sizeof(buf), "%s%s %d (tid %d)", w->child ? "child of " : "",
		 role_names[w->role], w->nr, w->tid);
	return buf;
}

/*
 * A violation of @inv: counted, and the first few kept in detail. Safe in
 * a forked child (no stdio stream, no allocation).
 */
static __printf(3, 4) void violation(struct worker *w, enum inv which,
				     const char *fmt, ...)
{
	__u32 n;
	int len;
	va_list ap;

	__atomic_fetch_add(&sh->count[which], 1, __ATOMIC_RELAXED);
	n = __atomic_fetch_add(&sh->ndetail[which], 1, __ATOMIC_RELAXED);
	if (n >= DETAILS)
		return;
	len = snprintf(sh->detail[which][n], DETAIL_LEN, "%s: ",
		       w ? who(w) : "main");
	if (len < 0 || len >= DETAIL_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->detail[which][n] + len, DETAIL_LEN - len, fmt, ap);
	va_end(ap);
}

/* Values */

static __u32 val_pad(__u64 key, __u32 seq)
{
	return (seq * 7 + (__u32)key) % (VAL_PAD_MAX + 1);
}

static __u32 val_encode(__u8 *buf, __u32 kind, __u64 key, __u32 thread,
			__u32 seq)
{
	struct val v = {
		.magic = VAL_MAGIC, .kind = kind, .key = key,
		.thread = thread, .seq = seq,
	};
	__u32 pad = val_pad(key, seq), i;

	memcpy(buf, &v, sizeof(v));
	for (i = 0; i < pad; i++)
		buf[sizeof(v) + i] = (__u8)(key + seq + i);
	return sizeof(v) + pad;
}

/* Is @buf a well-formed value? Then @v says what it encodes. */
static bool val_decode(const __u8 *buf, __u32 len, struct val *v)
{
	__u32 pad, i;

	if (len < sizeof(*v))
		return false;
	memcpy(v, buf, sizeof(*v));
	if (v->magic != VAL_MAGIC ||
	    (v->kind != VAL_SET && v->kind != VAL_INITIAL))
		return false;
	pad = val_pad(v->key, v->seq);
	if (len != sizeof(*v) + pad)
		return false;
	for (i = 0; i < pad; i++)
		if (buf[sizeof(*v) + i] != (__u8)(v->key + v->seq + i))
			return false;
	return true;
}

static __u32 val_initial(__u8 *buf, __u64 tag)
{
	return val_encode(buf, VAL_INITIAL, tag, 0, 0);
}

static void val_describe(char *out, size_t room, const __u8 *buf, __u32 len)
{
	struct val v;

	if (val_decode(buf, len, &v))
		snprintf(out, room, "%s(key %llu, thread %#x, seq %u)",
			 v.kind == VAL_SET ? "value" : "initial value of tag",
			 (unsigned long long)v.key, v.thread, v.seq);
	else
		snprintf(out, room, "%u bytes that decode to nothing", len);
}

/* Calls */

static int key_create(__u64 tag, char kind, __u32 flags, bool initial,
		      struct tasklocal_key_create *kc)
{
	__u8 init[VAL_MAX];

	memset(kc, 0, sizeof(*kc));
	kc->flags = flags;
	kc->fd = -1;
	if (kind)
		snprintf((char *)kc->name, TASKLOCAL_NAME_MAX, "t80.%c%llu",
			 kind, (unsigned long long)tag);
	if (initial) {
		kc->initial_len = val_initial(init, tag);
		kc->initial = ptr(init);
	}
	return xioctl(TASKLOCAL_IOC_KEY_CREATE, kc);
}

static __u64 tag_alloc(void)
{
	return __atomic_fetch_add(&next_tag, 1, __ATOMIC_RELAXED);
}

/* The pool */

static __u64 pool_word(__u64 id, __u64 tag, bool inherit, bool initial,
		       bool fd)
{
	return id | (inherit ? POOL_INHERIT : 0) |
	       (initial ? POOL_INITIAL : 0) | (fd ? POOL_FD : 0) |
	       tag << POOL_TAG_SHIFT;
}

static void pool_key(__u64 word, struct key *k)
{
	memset(k, 0, sizeof(*k));
	k->id = word & POOL_ID_MASK;
	k->tag = word >> POOL_TAG_SHIFT;
	k->inherit = word & POOL_INHERIT;
	k->initial = word & POOL_INITIAL;
	k->dead = word & POOL_DEAD;
}

/* The model of the entry for @k, reset if it was about another key. */
static struct model *model_of(struct model *m, const struct key *k)
{
	if (m->id != k->id) {
		memset(m, 0, sizeof(*m));
		m->id = k->id;
		m->inherit = k->inherit;
		m->initial = k->initial;
		m->tag = k->tag;
	}
	return m;
}

/*
 * Pick a key a value or fork thread works on: a shared one, or one from
 * the pool (which may be dead, or die meanwhile). NULL: an empty slot.
 */
static struct model *pick_key(struct worker *w, struct key *k)
{
	unsigned int i;
	__u64 word;

	if (!pool_len || rnd_below(w, 2)) {
		i = rnd_below(w, NR_SHARED);
		*k = shared_keys[i];
		return &w->shared_m[i];
	}
	i = rnd_below(w, pool_len);
	word = load(&pool[i]);
	if (!word)
		return NULL;
	pool_key(word, k);
	return model_of(&w->pool_m[i], k);
}

static __u32 thread_code(struct worker *w)
{
	return (w->child ? 0x10000U : 0) | w->idx;
}

/* A call on a key seen dead must give ENOENT; true if it did. */
static bool dead_call(struct worker *w, const struct key *k, const char *call,
		      int err)
{
	w->ops[OP_DEAD_CHECK]++;
	if (err == ENOENT)
		return true;
	violation(w, INV_DEAD_OTHER, "%s of key %llu after its deletion returned: %s",
		  call, (unsigned long long)k->id, errname(err));
	return false;
}

static const char *held(const struct model *m)
{
	return m->state == ST_SET ? "a value it set" :
	       m->state == ST_INIT ? "the stored initial value" : "no value";
}

/* Is @k dead now? (A GET, so a live key with an initial value stores it.) */
static bool now_dead(struct worker *w, const struct key *k, struct model *m)
{
	__u8 buf[VAL_MAX];
	__u32 len = sizeof(buf), flags;
	int err = vget(k->id, buf, &len, &flags);

	/* if it is alive, make the model true again, whatever it held */
	if (err == ENOENT || vremove(k->id) == ENOENT) {
		w->ops[OP_ENOENT]++;
		m->state = ST_NONE;
		return true;
	}
	m->state = ST_NONE;
	return false;
}

static void unexpected(struct worker *w, const struct key *k, const char *call,
		       int err)
{
	violation(w, INV_ERRNO, "%s of %s key %llu: %s", call,
		  k->shared ? "shared" : "pool", (unsigned long long)k->id,
		  errname(err));
}

/* ENOENT on a key not seen dead: fine if it is not a shared key. */
static void got_enoent(struct worker *w, const struct key *k, struct model *m,
		       const char *call)
{
	if (k->shared)
		violation(w, INV_ERRNO, "%s of shared key %llu: ENOENT", call,
			  (unsigned long long)k->id);
	else
		w->ops[OP_ENOENT]++;
	m->state = ST_NONE;
}

static void do_set(struct worker *w, const struct key *k, struct model *m)
{
	__u32 flags = 0, seq = ++w->seq, len;
	__u8 buf[VAL_MAX];
	int err, want = 0;

	len = val_encode(buf, VAL_SET, k->id, thread_code(w), seq);
	/* CREATE / REPLACE only where the key cannot die meanwhile */
	if (k->shared) {
		switch (rnd_below(w, 8)) {
		case 0:
			flags = TASKLOCAL_SET_CREATE;
			want = m->state == ST_NONE ? 0 : EEXIST;
			break;
		case 1:
			flags = TASKLOCAL_SET_REPLACE;
			want = m->state == ST_NONE ? ENOENT : 0;
			break;
		}
	}
	err = vset(k->id, flags, buf, len);
	w->ops[OP_SET]++;
	if (k->dead) {
		dead_call(w, k, "SET", err);
		return;
	}
	if (k->shared) {
		if (err != want)
			violation(w, INV_MODEL, "SET%s of shared key %llu with %s: %s, want %s",
				  flags == TASKLOCAL_SET_CREATE ? " CREATE" :
				  flags ? " REPLACE" : "",
				  (unsigned long long)k->id,
				  m->state == ST_NONE ? "no value" : "a value",
				  errname(err), errname(want));
		if (!err) {
			m->state = ST_SET;
			m->seq = seq;
			m->thread = thread_code(w);
		}
		return;
	}
	if (err == ENOENT) {
		got_enoent(w, k, m, "SET");
	} else if (err) {
		unexpected(w, k, "SET", err);
	} else {
		m->state = ST_SET;
		m->seq = seq;
		m->thread = thread_code(w);
	}
}

/*
 * A value GET returned without TASKLOCAL_GET_INITIAL: it must be what the
 * model holds, and encode this key whatever it is.
 */
static void check_value(struct worker *w, const struct key *k, struct model *m,
			const __u8 *buf, __u32 len, enum inv inv)
{
	__u8 want[VAL_MAX];
	__u32 want_len = 0, seq = m->seq;
	const char *h;
	char got[96];
	struct val v;

	if (val_decode(buf, len, &v) &&
	    (v.kind == VAL_SET ? v.key != k->id : v.key != k->tag)) {
		val_describe(got, sizeof(got), buf, len);
		violation(w, INV_GET_OTHER, "GET of key %llu (tag %llu) gave %s",
			  (unsigned long long)k->id,
			  (unsigned long long)k->tag, got);
		return;
	}
	if (m->state == ST_SET)
		want_len = val_encode(want, VAL_SET, k->id, m->thread, seq);
	else if (m->state == ST_INIT)
		want_len = val_initial(want, k->tag);
	if (want_len && len == want_len && !memcmp(buf, want, len))
		return;
	h = held(m);
	if (now_dead(w, k, m))
		return;
	val_describe(got, sizeof(got), buf, len);
	violation(w, inv, "GET of key %llu gave %s, want %s (seq %u)",
		  (unsigned long long)k->id, got, h, seq);
}

static void do_get(struct worker *w, const struct key *k, struct model *m,
		   enum inv inv)
{
	__u8 buf[VAL_MAX], init[VAL_MAX];
	__u32 len = sizeof(buf), flags, ilen, seq;
	int err = vget(k->id, buf, &len, &flags);
	enum inv which;
	const char *h;
	char got[96];

	w->ops[w->child ? OP_CHILD_GET : OP_GET]++;
	if (k->dead) {
		dead_call(w, k, "GET", err);
		return;
	}
	if (err == ENOENT) {
		got_enoent(w, k, m, "GET");
		return;
	}
	if (err == ENODATA) {
		if (m->state == ST_NONE && !k->initial)
			return;
		h = held(m);
		which = m->state == ST_NONE ? INV_MODEL : inv;
		if (now_dead(w, k, m))
			return;
		violation(w, which, "GET of key %llu%s: ENODATA, the model holds %s",
			  (unsigned long long)k->id,
			  k->initial ? " (it has an initial value)" : "", h);
		return;
	}
	if (err) {
		unexpected(w, k, "GET", err);
		return;
	}
	if (!(flags & TASKLOCAL_GET_INITIAL)) {
		check_value(w, k, m, buf, len, inv);
		return;
	}
	/* the initial value: the key must have one, and we no value */
	w->ops[OP_GET_INITIAL]++;
	ilen = k->initial ? val_initial(init, k->tag) : 0;
	if (!ilen || len != ilen || memcmp(buf, init, len)) {
		val_describe(got, sizeof(got), buf, len);
		violation(w, INV_GET_OTHER,
			  "GET of key %llu (tag %llu%s) gave as its initial value %s",
			  (unsigned long long)k->id,
			  (unsigned long long)k->tag,
			  k->initial ? "" : ", no initial value", got);
		now_dead(w, k, m);
		return;
	}
	h = held(m);
	seq = m->seq;
	if (m->state != ST_NONE && !now_dead(w, k, m)) {
		violation(w, inv,
			  "GET of key %llu gave the initial value, the model holds %s (seq %u)",
			  (unsigned long long)k->id, h, seq);
		return;
	}
	m->state = flags & TASKLOCAL_GET_UNSTORED ? ST_NONE : ST_INIT;
}

static void do_remove(struct worker *w, const struct key *k, struct model *m)
{
	int err = vremove(k->id), want = m->state == ST_NONE ? ENODATA : 0;

	w->ops[OP_REMOVE]++;
	if (k->dead) {
		dead_call(w, k, "REMOVE", err);
		return;
	}
	if (err == ENOENT && !k->shared) {
		got_enoent(w, k, m, "REMOVE");
		return;
	}
	if (err != want && (err != 0 && err != ENODATA))
		unexpected(w, k, "REMOVE", err);
	else if (err != want && (k->shared || !now_dead(w, k, m)))
		violation(w, INV_MODEL, "REMOVE of key %llu with %s: %s",
			  (unsigned long long)k->id,
			  want ? "no value" : "a value", errname(err));
	m->state = ST_NONE;
}

static void do_clear(struct worker *w)
{
	struct tasklocal_clear c = { 0 };
	unsigned int i;
	int err = xioctl(TASKLOCAL_IOC_CLEAR, &c);

	w->ops[OP_CLEAR]++;
	if (err)
		violation(w, INV_ERRNO, "CLEAR: %s", errname(err));
	for (i = 0; i < NR_SHARED; i++)
		w->shared_m[i].state = ST_NONE;
	for (i = 0; w->pool_m && i < pool_len; i++)
		w->pool_m[i].state = ST_NONE;
}

/* value threads */

static void value_step(struct worker *w)
{
	struct model *m;
	struct key k;
	unsigned int r;

	if (!rnd_below(w, 2000)) {
		do_clear(w);
		return;
	}
	m = pick_key(w, &k);
	if (!m)
		return;
	r = rnd_below(w, 100);
	if (r < 40)
		do_set(w, &k, m);
	else if (r < 85)
		do_get(w, &k, m, INV_GET_OWN);
	else
		do_remove(w, &k, m);
}

/* churn threads */

/* After the deletion of @id returned in this thread: ENOENT every way. */
static void dead_self(struct worker *w, __u64 id, const char *how)
{
	__u8 buf[VAL_MAX] = { 0 };
	__u32 len = sizeof(buf), flags;
	struct {
		const char *call;
		int err;
	} calls[4];
	unsigned int i;

	calls[0].call = "GET";
	calls[0].err = vget(id, buf, &len, &flags);
	calls[1].call = "SET";
	calls[1].err = vset(id, 0, buf, 8);
	calls[2].call = "REMOVE";
	calls[2].err = vremove(id);
	calls[3].call = "KEY_DELETE";
	calls[3].err = key_delete(id);
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		w->ops[OP_DEAD_CHECK]++;
		if (calls[i].err != ENOENT)
			violation(w, INV_DEAD_SELF, "%s of key %llu after %s returned: %s",
				  calls[i].call, (unsigned long long)id, how,
				  errname(calls[i].err));
	}
}

static int close_key_fd(int fd)
{
	return close(fd) ? errno : 0;
}

/* A value for @id in this thread's own table, read back. */
static void churn_set(struct worker *w, __u64 id)
{
	__u8 buf[VAL_MAX], got[VAL_MAX];
	__u32 len, glen = sizeof(got), flags, seq = ++w->seq;
	int err;

	len = val_encode(buf, VAL_SET, id, thread_code(w), seq);
	err = vset(id, 0, buf, len);
	w->ops[OP_SET]++;
	if (err) {
		violation(w, INV_ERRNO, "SET of its own new key %llu: %s",
			  (unsigned long long)id, errname(err));
		return;
	}
	err = vget(id, got, &glen, &flags);
	w->ops[OP_GET]++;
	if (err || glen != len || memcmp(got, buf, len))
		violation(w, INV_GET_OWN, "GET of its own new key %llu: %s, %u bytes",
			  (unsigned long long)id, errname(err), glen);
}

static void churn_create(struct worker *w, unsigned int slot)
{
	bool fd = !rnd_below(w, 3), inherit = rnd_below(w, 2);
	bool initial = rnd_below(w, 2);
	struct tasklocal_key_create kc;
	__u64 tag = tag_alloc();
	int err;

	err = key_create(tag, fd ? 'f' : 'k',
			 (fd ? TASKLOCAL_KEY_FD : 0) |
			 (inherit ? TASKLOCAL_KEY_INHERIT : 0), initial, &kc);
	w->ops[fd ? OP_FD_CREATE : OP_KEY_CREATE]++;
	if (err) {
		violation(w, INV_ERRNO, "KEY_CREATE t80.%c%llu: %s",
			  fd ? 'f' : 'k', (unsigned long long)tag,
			  errname(err));
		return;
	}
	w->fds[slot] = fd ? kc.fd : -1;
	if (rnd_below(w, 2))
		churn_set(w, kc.id);
	store(&pool[(w->nr * POOL_PER_CHURN) + slot],
	      pool_word(kc.id, tag, inherit, initial, fd));
}

static void churn_kill(struct worker *w, unsigned int slot, __u64 word)
{
	__u64 id = word & POOL_ID_MASK;
	int err;

	if (word & POOL_FD) {
		err = close_key_fd(w->fds[slot]);
		w->ops[OP_FD_CLOSE]++;
		w->fds[slot] = -1;
	} else {
		err = key_delete(id);
		w->ops[OP_KEY_DELETE]++;
	}
	if (err) {
		violation(w, INV_ERRNO, "%s of pool key %llu: %s",
			  word & POOL_FD ? "close" : "KEY_DELETE",
			  (unsigned long long)id, errname(err));
		return;
	}
	/* only now may other threads count on it being dead */
	store(&pool[(w->nr * POOL_PER_CHURN) + slot], word | POOL_DEAD);
	dead_self(w, id, word & POOL_FD ? "close" : "KEY_DELETE");
}

/* An fd-owned key of this thread's own, used a little, then closed. */
static void churn_private(struct worker *w)
{
	struct tasklocal_key_create kc[NR_PRIVATE_FD];
	unsigned int i, n = 1 + rnd_below(w, NR_PRIVATE_FD);
	bool named;
	int err;

	for (i = 0; i < n; i++) {
		named = rnd_below(w, 2);
		err = key_create(tag_alloc(), named ? 'f' : 0,
				 TASKLOCAL_KEY_FD, false, &kc[i]);
		w->ops[OP_FD_CREATE]++;
		if (err) {
			violation(w, INV_ERRNO, "KEY_CREATE of an fd-owned key: %s",
				  errname(err));
			n = i;
			break;
		}
		churn_set(w, kc[i].id);
		err = key_delete(kc[i].id);
		if (err != EINVAL)
			violation(w, INV_ERRNO, "KEY_DELETE of fd-owned key %llu: %s, want EINVAL",
				  (unsigned long long)kc[i].id, errname(err));
	}
	for (i = 0; i < n; i++) {
		err = close_key_fd(kc[i].fd);
		w->ops[OP_FD_CLOSE]++;
		if (err)
			violation(w, INV_ERRNO, "close of key fd %d: %s",
				  kc[i].fd, errname(err));
		else
			dead_self(w, kc[i].id, "close");
	}
}

static void churn_step(struct worker *w)
{
	unsigned int slot = rnd_below(w, POOL_PER_CHURN);
	__u64 *p = &pool[(w->nr * POOL_PER_CHURN) + slot];
	__u64 word = load(p);
	unsigned int r = rnd_below(w, 100);

	if (r < 10) {
		churn_private(w);
	} else if (r < 30 && (word & POOL_DEAD)) {
		/* long after: still dead */
		dead_self(w, word & POOL_ID_MASK, "an earlier deletion");
	} else if (!word || (word & POOL_DEAD)) {
		churn_create(w, slot);
	} else {
		churn_kill(w, slot, word);
	}
	/* leave the keys to the value threads a moment */
	usleep(100);
}

static void churn_finish(struct worker *w)
{
	unsigned int slot;
	__u64 word;

	for (slot = 0; slot < POOL_PER_CHURN; slot++) {
		word = load(&pool[(w->nr * POOL_PER_CHURN) + slot]);
		if (word && !(word & POOL_DEAD))
			churn_kill(w, slot, word);
	}
}

/* fork threads */

/* In the child: the parent's entry for @k, as @m models it. */
static void child_check(struct worker *w, const struct key *k, struct model *m)
{
	__u32 len = VAL_MAX, flags, seq;
	__u8 buf[VAL_MAX];
	const char *h;
	int err;

	if (k->dead || !k->inherit || m->state == ST_NONE) {
		/* no entry may have come: GET gives ENODATA or the initial */
		m->state = ST_NONE;
		do_get(w, k, m, INV_CHILD);
		return;
	}
	err = vget(k->id, buf, &len, &flags);
	w->ops[OP_CHILD_GET]++;
	if (err == ENOENT) {
		w->ops[OP_ENOENT]++;
		m->state = ST_NONE;
		return;
	}
	if (err == ENODATA || (!err && (flags & TASKLOCAL_GET_INITIAL))) {
		h = held(m);
		seq = m->seq;
		if (now_dead(w, k, m))
			return;
		violation(w, INV_INHERIT,
			  "GET of inheritable key %llu: %s, the parent held %s (seq %u)",
			  (unsigned long long)k->id,
			  err ? errname(err) : "the initial value", h, seq);
		return;
	}
	if (err) {
		unexpected(w, k, "GET in a child", err);
		return;
	}
	check_value(w, k, m, buf, len, INV_INHERIT);
}

static void child_main(struct worker *w)
{
	unsigned int i, n;
	struct model *m;
	struct key k;

	for (i = 0; i < NR_SHARED; i++)
		child_check(w, &shared_keys[i], &w->shared_m[i]);
	for (i = 0; i < pool_len; i++) {
		__u64 word = load(&pool[i]);

		m = &w->pool_m[i];
		if (!word)
			continue;
		pool_key(word, &k);
		if (m->id != k.id) {
			/* the parent never touched this key */
			model_of(m, &k);
			if (!rnd_below(w, 8))
				do_get(w, &k, m, INV_CHILD);
			continue;
		}
		child_check(w, &k, m);
	}
	/* its own table, a little */
	n = 8 + rnd_below(w, 16);
	for (i = 0; i < n; i++) {
		m = pick_key(w, &k);
		if (!m)
			continue;
		if (rnd_below(w, 2)) {
			do_set(w, &k, m);
			w->ops[OP_SET]--;
			w->ops[OP_CHILD_SET]++;
		} else {
			do_get(w, &k, m, INV_CHILD);
		}
	}
	/* stay a moment, for the inspectors */
	usleep(rnd_below(w, 3000));
	for (i = 0; i < NR_OPS; i++)
		__atomic_fetch_add(&sh->ops[i], w->ops[i], __ATOMIC_RELAXED);
}

/*
 * A child, by clone() with CLONE_FILES: it shares the fd table, so no
 * copy of a key's fd outlives the close() that is to kill the key. It
 * only makes system calls and formats into shared memory: no allocation,
 * no stdio (a raw clone runs no atfork handlers).
 */
static void fork_one(struct worker *w)
{
	int status;
	pid_t pid;

	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		violation(w, INV_ERRNO, "clone: %s", strerror(errno));
		usleep(10000);
		return;
	}
	if (!pid) {
		alarm(20);
		w->child = 1;
		w->tid = syscall(SYS_getpid);
		memset(w->ops, 0, sizeof(w->ops));
		child_main(w);
		syscall(SYS_exit_group, 0);
	}
	__atomic_store_n(&children[w->nr], pid, __ATOMIC_RELEASE);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	__atomic_store_n(&children[w->nr], 0, __ATOMIC_RELEASE);
	w->ops[OP_FORK]++;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		violation(w, INV_CHILD, "child %d ended with status %#x%s", pid,
			  status, WIFSIGNALED(status) &&
			  WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
}

static void fork_step(struct worker *w)
{
	unsigned int i, n = 1 + rnd_below(w, 8);
	struct model *m;
	struct key k;

	for (i = 0; i < n; i++) {
		m = pick_key(w, &k);
		if (!m)
			continue;
		switch (rnd_below(w, 8)) {
		case 0:
			do_remove(w, &k, m);
			break;
		case 1:
			do_get(w, &k, m, INV_GET_OWN);
			break;
		default:
			do_set(w, &k, m);
		}
	}
	fork_one(w);
}

/* inspector threads */

static bool power_of_two(__u32 n)
{
	return n && !(n & (n - 1));
}

/* The tag in a slot's name "t80.<c><tag>", or 0. */
static __u64 slot_tag(const struct tasklocal_slot *s)
{
	const char *name = (const char *)s->name;

	if (strncmp(name, "t80.", 4) || !name[4])
		return 0;
	return strtoull(name + 5, NULL, 10);
}

static void check_slot_value(struct worker *w, const struct tasklocal_table_dump *d,
			     const struct tasklocal_slot *s)
{
	const char *name = (const char *)s->name;
	char got[96];
	struct val v;
	bool ok;

	if (s->flags & (TASKLOCAL_SLOT_KERNEL | TASKLOCAL_SLOT_TRUNCATED))
		return;
	if (name[0] && strncmp(name, "t80.", 4))
		return;		/* not ours: nothing to decode */
	if ((__u64)s->value_offset + s->value_len > d->values_len) {
		violation(w, INV_DUMP_VALUE,
			  "pid %u slot %u (key %llu): value at %u+%u past the %u bytes copied",
			  d->pid, s->index, (unsigned long long)s->key_id,
			  s->value_offset, s->value_len, d->values_len);
		return;
	}
	w->ops[OP_DUMP_VALUES]++;
	ok = val_decode(w->values + s->value_offset, s->value_len, &v);
	if (ok && v.kind == VAL_SET)
		ok = v.key == s->key_id;
	else if (ok)
		ok = name[0] && v.key == slot_tag(s);
	if (ok)
		return;
	val_describe(got, sizeof(got), w->values + s->value_offset,
		     s->value_len);
	violation(w, INV_DUMP_VALUE, "pid %u slot %u (key %llu \"%.64s\"%s) holds %s",
		  d->pid, s->index, (unsigned long long)s->key_id, name,
		  s->flags & TASKLOCAL_SLOT_STALE ? ", stale" : "", got);
}

static void check_dump(struct worker *w, const struct tasklocal_table_dump *d,
		       bool values)
{
	__u32 i, stale = 0, len = d->len;
	__u64 bytes = 0;
	__u8 *seen;

	if (d->nr_slots != d->size || !power_of_two(len) ||
	    d->threshold != len * 2 / 3 || d->size >= len)
		violation(w, INV_DUMP_SIZE, "pid %u: nr_slots %u, size %u, len %u, threshold %u",
			  d->pid, d->nr_slots, d->size, len, d->threshold);
	seen = calloc(len ? len : 1, 1);
	if (!seen)
		return;
	for (i = 0; i < d->nr_slots; i++) {
		const struct tasklocal_slot *s = &w->slots[i];

		w->ops[OP_DUMP_SLOTS]++;
		if (s->index >= len || seen[s->index])
			violation(w, INV_DUMP_INDEX,
				  "pid %u: slot %u of %u has index %u (len %u)%s",
				  d->pid, i, d->nr_slots, s->index, len,
				  s->index < len ? ", seen before" : "");
		else
			seen[s->index] = 1;
		if (len && s->home != (s->hash & (len - 1)))
			violation(w, INV_DUMP_HOME,
				  "pid %u: slot %u (key %llu) home %u, hash %#x, len %u",
				  d->pid, s->index,
				  (unsigned long long)s->key_id, s->home,
				  s->hash, len);
		if (s->flags & TASKLOCAL_SLOT_STALE)
			stale++;
		bytes += s->value_len;
		if (values)
			check_slot_value(w, d, s);
	}
	free(seen);
	if (stale != d->stale)
		violation(w, INV_DUMP_STALE, "pid %u: stale %u, %u slots marked stale",
			  d->pid, d->stale, stale);
	if (bytes != d->value_bytes)
		violation(w, INV_DUMP_BYTES, "pid %u: value_bytes %llu, slots hold %llu",
			  d->pid, (unsigned long long)d->value_bytes,
			  (unsigned long long)bytes);
}

static bool inspect_grow(struct worker *w, __u32 room)
{
	struct tasklocal_slot *slots;
	__u8 *values;

	slots = realloc(w->slots, room * sizeof(*slots));
	if (!slots)
		return false;
	w->slots = slots;
	values = realloc(w->values, room * VAL_MAX);
	if (!values)
		return false;
	w->values = values;
	w->room = room;
	w->values_room = room * VAL_MAX;
	return true;
}

static void inspect_dump(struct worker *w, pid_t target)
{
	bool values = rnd_below(w, 4);
	struct tasklocal_table_dump d;
	int err, tries;

	for (tries = 0; tries < 8; tries++) {
		memset(&d, 0, sizeof(d));
		d.flags = TASKLOCAL_DUMP_PID |
			  (values ? TASKLOCAL_DUMP_VALUES : 0);
		d.target = target;
		d.slots = ptr(w->slots);
		d.nr_slots = w->room;
		d.values = ptr(w->values);
		d.values_len = w->values_room;
		err = xioctl(TASKLOCAL_IOC_TABLE_DUMP, &d);
		w->ops[OP_DUMP]++;
		if (err != ERANGE)
			break;
		if (d.nr_slots <= w->room) {
			violation(w, INV_DUMP_ERR, "pid %d: ERANGE asking for %u slots, %u given",
				  target, d.nr_slots, w->room);
			return;
		}
		if (!inspect_grow(w, d.nr_slots * 2))
			return;
	}
	if (err == ESRCH || err == ENODATA) {
		w->ops[OP_DUMP_NOTABLE]++;
		return;
	}
	if (err == EBUSY) {
		w->ops[OP_DUMP_BUSY]++;
		return;
	}
	if (err) {
		violation(w, INV_DUMP_ERR, "TABLE_DUMP of pid %d: %s", target,
			  errname(err));
		return;
	}
	check_dump(w, &d, values);
}

static void inspect_list(struct worker *w)
{
	struct tasklocal_task_info info[64];
	struct tasklocal_table_list l = {
		.tasks = ptr(info), .count = ARRAY_SIZE(info),
	};
	__u32 i;
	int err = xioctl(TASKLOCAL_IOC_TABLE_LIST, &l);

	w->ops[OP_TABLE_LIST]++;
	if (err) {
		violation(w, INV_LIST, "TABLE_LIST: %s", errname(err));
		return;
	}
	if (l.count > ARRAY_SIZE(info) || l.count > l.total)
		violation(w, INV_LIST, "TABLE_LIST: count %u of room %zu, total %u",
			  l.count, ARRAY_SIZE(info), l.total);
	for (i = 0; i < l.count && i < ARRAY_SIZE(info); i++)
		if (!power_of_two(info[i].len) || info[i].size >= info[i].len ||
		    info[i].stale > info[i].size)
			violation(w, INV_LIST, "TABLE_LIST: pid %u len %u size %u stale %u",
				  info[i].pid, info[i].len, info[i].size,
				  info[i].stale);
}

#define HUGE_COUNT	BIT_ULL(40)	/* an atomic_long gone below zero */

static void inspect_stats(struct worker *w)
{
	struct tasklocal_stats s;
	int err = xioctl(TASKLOCAL_IOC_STATS, &s);

	w->ops[OP_STATS]++;
	if (err) {
		violation(w, INV_LIST, "STATS: %s", errname(err));
		return;
	}
	if (s.tables > HUGE_COUNT || s.entries > HUGE_COUNT ||
	    s.stale > HUGE_COUNT || s.value_bytes > HUGE_COUNT ||
	    s.keys > HUGE_COUNT || s.dead_keys > HUGE_COUNT)
		violation(w, INV_LIST,
			  "STATS: a counter below zero: tables %lld entries %lld stale %lld value_bytes %lld keys %lld dead_keys %lld",
			  (long long)s.tables, (long long)s.entries,
			  (long long)s.stale, (long long)s.value_bytes,
			  (long long)s.keys, (long long)s.dead_keys);
}

static void inspect_keys(struct worker *w)
{
	struct tasklocal_key_info info[64];
	struct tasklocal_key_list kl = {
		.keys = ptr(info), .count = ARRAY_SIZE(info),
		.info_size = sizeof(info[0]),
	};
	int err = xioctl(TASKLOCAL_IOC_KEY_LIST, &kl);

	w->ops[OP_KEY_LIST]++;
	if (err)
		violation(w, INV_LIST, "KEY_LIST: %s", errname(err));
}

/*
 * CLEAR by pid and key, from outside: a dead pool key's entry, from the
 * table of thread @target. A dead key's id is never a live key's (ids
 * are not reused at once), so no value any thread's model expects goes;
 * the entry may already be gone (expunged, swept), the key freed
 * (ENOENT), the thread exited (ESRCH).
 */
static void inspect_clear_dead(struct worker *w, pid_t target)
{
	struct tasklocal_clear c = { .flags = TASKLOCAL_CLEAR_PID |
					      TASKLOCAL_CLEAR_KEY };
	__u64 word;
	int err;

	if (!pool_len)
		return;
	word = load(&pool[rnd_below(w, pool_len)]);
	if (!(word & POOL_DEAD))
		return;
	c.target = target;
	c.key_id = word & POOL_ID_MASK;
	err = xioctl(TASKLOCAL_IOC_CLEAR, &c);
	w->ops[OP_CLEAR_DEAD]++;
	if (!err && c.removed)
		w->ops[OP_CLEAR_DEAD_REMOVED]++;
	if (err && err != ENOENT && err != ESRCH)
		violation(w, INV_ERRNO, "CLEAR of dead key %llu in %d: %s",
			  (unsigned long long)c.key_id, target, errname(err));
}

static pid_t any_worker_tid(struct worker *w)
{
	return __atomic_load_n(&workers[rnd_below(w, nr_workers)].tid,
			       __ATOMIC_ACQUIRE);
}

static void inspect_step(struct worker *w)
{
	unsigned int r = rnd_below(w, 100);
	pid_t target = 0;

	if (r < 45) {
		target = any_worker_tid(w);
	} else if (r < 75 && nr_role[ROLE_FORK]) {
		target = __atomic_load_n(&children[rnd_below(w, nr_role[ROLE_FORK])],
					 __ATOMIC_ACQUIRE);
	} else if (r < 85) {
		inspect_clear_dead(w, any_worker_tid(w));
	} else if (r < 92) {
		inspect_list(w);
	} else if (r < 97) {
		inspect_stats(w);
	} else {
		inspect_keys(w);
	}
	if (target > 0)
		inspect_dump(w, target);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int i;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	if (w->role == ROLE_INSPECT && !inspect_grow(w, 256)) {
		violation(w, INV_ERRNO, "out of memory");
		return NULL;
	}
	for (i = 0; i < POOL_PER_CHURN; i++)
		w->fds[i] = -1;
	wait_for_go();
	while (!stopping()) {
		switch (w->role) {
		case ROLE_VALUE:
			value_step(w);
			break;
		case ROLE_CHURN:
			churn_step(w);
			break;
		case ROLE_FORK:
			fork_step(w);
			break;
		case ROLE_INSPECT:
			inspect_step(w);
			break;
		default:
			break;
		}
	}
	if (w->role == ROLE_CHURN)
		churn_finish(w);
	free(w->slots);
	free(w->values);
	return NULL;
}

/* main */

static int stats(struct tasklocal_stats *s)
{
	memset(s, 0, sizeof(*s));
	return xioctl(TASKLOCAL_IOC_STATS, s);
}

struct t80_count {
	char *first;	/* a description of the first one */
	size_t room;
	int n;
};

static void t80_key_one(const struct tasklocal_key_info *info, void *arg)
{
	const char *name = (const char *)info->name;
	struct t80_count *tk = arg;

	if (strncmp(name, "t80.", 4))
		return;
	if (!tk->n++)
		snprintf(tk->first, tk->room, "%.64s (id %llu, flags %#x, %u entries)",
			 name, (unsigned long long)info->id, info->flags,
			 info->entries);
}

/* "t80." keys in KEY_LIST, live or dead; -1 if it cannot be read. */
static int t80_keys(char *first, size_t room)
{
	struct t80_count tk = { .first = first, .room = room };

	return keys_each(t80_key_one, &tk) ? -1 : tk.n;
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: stress [-s SEED] [-d SECONDS] [-t THREADS]\n");
	exit(2);
}

/* The TAP line of invariant @inv, after the violations kept in detail. */
static void tap_inv(enum inv inv)
{
	__u32 i, n = sh->ndetail[inv];
	bool ok = !sh->count[inv];

	for (i = 0; i < n && i < DETAILS; i++)
		diag("%s", sh->detail[inv][i]);
	if (!ok)
		diag("%llu violation(s)", (unsigned long long)sh->count[inv]);
	tap(ok, "%s", inv_names[inv]);
}

static void setup_roles(unsigned int nthreads, __u64 seed)
{
	unsigned int i, r, n;

	nr_role[ROLE_CHURN] = nthreads / 6 ? nthreads / 6 : 1;
	nr_role[ROLE_FORK] = nthreads / 8 ? nthreads / 8 : 1;
	nr_role[ROLE_INSPECT] = nthreads / 6 ? nthreads / 6 : 1;
	nr_role[ROLE_VALUE] = nthreads - nr_role[ROLE_CHURN] -
			      nr_role[ROLE_FORK] - nr_role[ROLE_INSPECT];
	nr_workers = nthreads;
	pool_len = nr_role[ROLE_CHURN] * POOL_PER_CHURN;
	i = 0;
	for (r = 0; r < NR_ROLES; r++) {
		for (n = 0; n < nr_role[r]; n++, i++) {
			struct worker *w = &workers[i];

			w->idx = i + 1;
			w->role = r;
			w->nr = n;
			w->rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^
				 (__u64)(i + 1) * 0xbf58476d1ce4e5b9ULL;
			if (!w->rng)
				w->rng = 1;
			if (r == ROLE_VALUE || r == ROLE_FORK)
				w->pool_m = calloc(pool_len, sizeof(*w->pool_m));
		}
	}
}

static bool create_shared(struct worker *w)
{
	struct tasklocal_key_create kc;
	unsigned int i;
	int err;

	for (i = 0; i < NR_SHARED; i++) {
		struct key *k = &shared_keys[i];

		k->tag = tag_alloc();
		k->inherit = rnd_below(w, 2);
		k->initial = i % 3 == 0;
		k->shared = true;
		err = key_create(k->tag, 's',
				 k->inherit ? TASKLOCAL_KEY_INHERIT : 0,
				 k->initial, &kc);
		if (err) {
			printf("Bail out! KEY_CREATE t80.s%llu: %s\n",
			       (unsigned long long)k->tag, errname(err));
			return false;
		}
		k->id = kc.id;
	}
	return true;
}

static void run_end(struct worker *mainw, const struct tasklocal_stats *start)
{
	struct tasklocal_stats end;
	char first[160] = "";
	unsigned int i, waited;
	int err, keys = 0;
	pid_t pid;

	for (i = 0; i < NR_SHARED; i++) {
		err = key_delete(shared_keys[i].id);
		mainw->ops[OP_KEY_DELETE]++;
		if (err)
			violation(NULL, INV_END, "KEY_DELETE of shared key %llu: %s",
				  (unsigned long long)shared_keys[i].id,
				  errname(err));
	}
	for (i = 0; i < pool_len; i++)
		if (pool[i] && !(pool[i] & POOL_DEAD))
			violation(NULL, INV_END, "pool key %llu was not deleted",
				  (unsigned long long)(pool[i] & POOL_ID_MASK));
	for (i = 0; i < nr_role[ROLE_FORK]; i++)
		if (children[i])
			violation(NULL, INV_END, "child %d not reaped",
				  children[i]);
	pid = waitpid(-1, NULL, WNOHANG);
	if (pid > 0 || (pid < 0 && errno != ECHILD))
		violation(NULL, INV_END, "a child is left: waitpid gave %d (%s)",
			  pid, pid < 0 ? strerror(errno) : "reaped now");

	for (waited = 0;; waited += 50) {
		err = stats(&end);
		keys = t80_keys(first, sizeof(first));
		if (!err && keys == 0 && end.entries == start->entries &&
		    end.value_bytes == start->value_bytes &&
		    end.tables == start->tables)
			break;
		if (waited >= SETTLE_MS)
			break;
		usleep(50000);
	}
	printf("# end (after %u ms): tables %llu, entries %llu, stale %llu,",
	       waited, (unsigned long long)end.tables,
	       (unsigned long long)end.entries, (unsigned long long)end.stale);
	printf(" value_bytes %llu, keys %llu, dead_keys %llu\n",
	       (unsigned long long)end.value_bytes,
	       (unsigned long long)end.keys,
	       (unsigned long long)end.dead_keys);
	if (err)
		violation(NULL, INV_END_STATS, "STATS: %s", errname(err));
	else if (end.entries != start->entries ||
		 end.value_bytes != start->value_bytes ||
		 end.tables != start->tables)
		violation(NULL, INV_END_STATS,
			  "after %u ms: tables %llu entries %llu value_bytes %llu; at the start %llu %llu %llu",
			  waited, (unsigned long long)end.tables,
			  (unsigned long long)end.entries,
			  (unsigned long long)end.value_bytes,
			  (unsigned long long)start->tables,
			  (unsigned long long)start->entries,
			  (unsigned long long)start->value_bytes);
	if (keys < 0)
		violation(NULL, INV_END_KEYS, "KEY_LIST failed");
	else if (keys)
		violation(NULL, INV_END_KEYS, "%d t80. keys left after %u ms, first %s",
			  keys, waited, first);
}

int main(int argc, char **argv)
{
	unsigned int nthreads = 64, duration = 30, i, r;
	struct worker mainw = { .child = 0 };
	struct tasklocal_stats start;
	pthread_attr_t attr;
	__u64 seed = 1, total[NR_OPS] = { 0 };
	struct timespec t0, t1, t2;
	double secs;
	int opt, err;
	size_t shsize;

	while ((opt = getopt(argc, argv, "s:d:t:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			duration = strtoul(optarg, NULL, 0);
			break;
		case 't':
			nthreads = strtoul(optarg, NULL, 0);
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || nthreads < 4 || nthreads > 4096)
		bad_usage();

	dev = dev_open();
	if (dev < 0)
		return 1;
	workers = calloc(nthreads, sizeof(*workers));
	shsize = sizeof(*sh);
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!workers || sh == MAP_FAILED) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	setup_roles(nthreads, seed);
	pool = calloc(pool_len ? pool_len : 1, sizeof(*pool));
	children = calloc(nr_role[ROLE_FORK] + 1, sizeof(*children));
	if (!pool || !children) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	for (i = 0; i < nr_workers; i++)
		if ((workers[i].role == ROLE_VALUE ||
		     workers[i].role == ROLE_FORK) && !workers[i].pool_m) {
			printf("Bail out! out of memory\n");
			return 1;
		}
	mainw.rng = seed * 0x2545f4914f6cdd1dULL + 1;
	mainw.tid = getpid();

	printf("# stress: seed %llu, %u s, %u threads: %u value, %u churn,",
	       (unsigned long long)seed, duration, nthreads,
	       nr_role[ROLE_VALUE], nr_role[ROLE_CHURN]);
	printf(" %u fork, %u inspect; %u shared keys, %u pool slots\n",
	       nr_role[ROLE_FORK], nr_role[ROLE_INSPECT], NR_SHARED, pool_len);
	err = stats(&start);
	if (err) {
		printf("Bail out! STATS: %s\n", errname(err));
		return 1;
	}
	printf("# start: tables %llu, entries %llu, value_bytes %llu, keys %llu\n",
	       (unsigned long long)start.tables,
	       (unsigned long long)start.entries,
	       (unsigned long long)start.value_bytes,
	       (unsigned long long)start.keys);
	fflush(stdout);
	if (!create_shared(&mainw))
		return 1;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nr_workers; i++) {
		err = pthread_create(&workers[i].th, &attr, worker_main,
				     &workers[i]);
		if (err) {
			printf("Bail out! pthread_create: %s\n", strerror(err));
			__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
			nr_workers = i;
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %u threads created in %.1f s\n", nr_workers,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	say_go();
	sleep(duration);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < nr_workers; i++) {
		err = pthread_join(workers[i].th, NULL);
		if (err)
			violation(NULL, INV_END, "pthread_join of thread %u: %s",
				  i + 1, strerror(err));
		clock_gettime(CLOCK_MONOTONIC, &t2);
		secs = (t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9;
		if (secs > 1.0)	/* what a slow kernel spends its time on */
			printf("# thread %u (%s) stopped %.1f s after the end\n",
			       i + 1, role_names[workers[i].role], secs);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# all %u threads joined after %.1f s\n", nr_workers,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);

	run_end(&mainw, &start);

	for (i = 0; i < nr_workers; i++)
		for (r = 0; r < NR_OPS; r++)
			total[r] += workers[i].ops[r];
	for (r = 0; r < NR_OPS; r++) {
		total[r] += sh->ops[r] + mainw.ops[r];
		printf("# ops: %-44s %llu\n", op_names[r],
		       (unsigned long long)total[r]);
	}
	for (i = 0; i < ARRAY_SIZE(ops_needed); i++)
		if (!total[ops_needed[i]])
			violation(NULL, INV_RAN, "no %s happened",
				  op_names[ops_needed[i]]);

	for (i = 0; i < NR_INV; i++)
		tap_inv(i);
	return tap_end();
}
