/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sequence counts for native builds: the kernel's protocol (odd while a
 * writer runs) with C11 atomics, so that the two-thread test of map.c
 * exercises the same retry rule as the kernel.
 */
#ifndef _SHIM_LINUX_SEQLOCK_H
#define _SHIM_LINUX_SEQLOCK_H

#include <linux/spinlock.h>

typedef struct {
	unsigned int sequence;
} seqcount_raw_spinlock_t;

#define seqcount_raw_spinlock_init(s, lock)	((s)->sequence = 0)

static inline void write_seqcount_begin(seqcount_raw_spinlock_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* smp_wmb() */
}

static inline void write_seqcount_end(seqcount_raw_spinlock_t *s)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* smp_wmb() */
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
}

/* Odd (a writer runs): the retry below fails instead of waiting. */
static inline unsigned int raw_seqcount_begin(const seqcount_raw_spinlock_t *s)
{
	return __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE) & ~1u;
}

static inline unsigned int read_seqcount_begin(const seqcount_raw_spinlock_t *s)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

static inline bool read_seqcount_retry(const seqcount_raw_spinlock_t *s,
				       unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* smp_rmb() */
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;
}

#endif
