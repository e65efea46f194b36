/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-task table: OpenJDK's ThreadLocalMap, in C.
 *
 * An open-addressing hash table with linear probing whose keys are held
 * weakly: an entry whose key has died is "stale" and is expunged by the
 * same algorithms, with the same constants, as java.lang.ThreadLocal's
 * ThreadLocalMap (set, getEntry, getEntryAfterMiss, remove,
 * replaceStaleEntry, expungeStaleEntry, cleanSomeSlots, rehash, resize).
 * Given the same operations and key hashes, the slot array is the same,
 * slot for slot, as Java's.
 *
 * This file and map.c depend only on a few kernel primitives (RCU
 * pointers, a spinlock, lockdep assertions) so that they also build in
 * userspace against the shim in tools/testing/shim/.
 *
 * Locking: every function that changes the map must be called between
 * tlmap_lock() and tlmap_unlock(), which take map->lock and make
 * map->seq odd. Writers are not only the task that owns the map: removal
 * by another task (a key destroyed or deleted, its entries removed
 * everywhere) rehashes the probe run it removes from, moving entries
 * towards their home slot, and a lock-free reader walking that run can
 * meet the emptied slot before the moved entry. So tlmap_lookup(), the
 * lock-free read under RCU, never concludes "absent" unless map->seq
 * shows that no writer ran meanwhile; it asks for the locked path
 * instead. Entries and slot arrays taken out of the map are handed to
 * tlmap_entry_release() and tlmap_slots_retire(), which the user of the
 * map provides and which must defer freeing past an RCU grace period,
 * because lock-free readers may still see them.
 */
#ifndef _TASKLOCAL_MAP_H
#define _TASKLOCAL_MAP_H

#include <linux/types.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

#define TLMAP_INITIAL_LEN	16	/* INITIAL_CAPACITY */
#define TLMAP_HASH_INCREMENT	0x61c88647u

/*
 * What the map knows of a key: its hash and whether it has died. A dead
 * key's entries are stale (Java: the entry's referent was cleared).
 */
struct tlmap_key {
	u32 hash;
	bool dead;
};

/* One key -> value association. @key is a weak reference. */
struct tlmap_entry {
	struct tlmap_key *key;
	void *value;
	union {
		struct rcu_head rcu;		/* once released */
		struct tlmap_entry *next;	/* on map->released */
	};
};

/*
 * A slot array. The pointers are allocated apart from this header so that
 * their size is an exact power of two, with no allocator rounding.
 */
struct tlmap_slots {
	unsigned int len;		/* a power of two */
	struct tlmap_entry __rcu **slot;
	struct rcu_head rcu;
};

struct tlmap_stats {
	u64 expunged;	/* stale entries removed */
	u64 resizes;	/* slot arrays doubled */
	u64 rehashes;	/* full stale sweeps (rehash()) */
};

/*
 * The lock is a raw spinlock: the fork hook takes it with preemption
 * disabled, where on PREEMPT_RT a spinlock_t would sleep. What is done
 * under it is short and never calls out: entries the map lets go of are
 * kept on @released and handed to tlmap_entry_release() (so to destroy()
 * ops) by tlmap_unlock(), after the lock is dropped.
 */
struct tlmap {
	raw_spinlock_t lock;			/* serializes writers */
	seqcount_raw_spinlock_t seq;		/* odd while a writer runs */
	struct tlmap_slots __rcu *slots;
	unsigned int size;			/* entries, stale ones included */
	unsigned int threshold;			/* resize when size reaches it */
	struct tlmap_entry *released;		/* to release at unlock */
	struct tlmap_stats stats;
};

static inline bool tlmap_key_dead(const struct tlmap_key *key)
{
	return READ_ONCE(key->dead);
}

static inline bool tlmap_entry_stale(const struct tlmap_entry *e)
{
	return tlmap_key_dead(e->key);
}

static inline unsigned int tlmap_threshold(unsigned int len)
{
	return len * 2 / 3;
}

/*
 * Slot array length the map must be able to switch to during the set()
 * that inserts its next entry, or 0 when no resize can happen then.
 * Callers that cannot allocate under map->lock preallocate it.
 */
static inline unsigned int tlmap_grow_len(const struct tlmap_slots *s,
					  unsigned int size)
{
	return size + 1 >= tlmap_threshold(s->len) ? s->len * 2 : 0;
}

void tlmap_release_list(struct tlmap *map, struct tlmap_entry *list);

/* Start and end a change of the map. */
static inline void tlmap_lock(struct tlmap *map)
	__acquires(&map->lock)
{
	raw_spin_lock(&map->lock);
	write_seqcount_begin(&map->seq);
}

static inline void tlmap_unlock(struct tlmap *map)
	__releases(&map->lock)
{
	struct tlmap_entry *released = map->released;

	map->released = NULL;
	write_seqcount_end(&map->seq);
	raw_spin_unlock(&map->lock);
	if (released)
		tlmap_release_list(map, released);
}

/* Provided by the user of the map. */
struct tlmap_slots *tlmap_slots_alloc(unsigned int len, gfp_t gfp);
void tlmap_slots_free(struct tlmap_slots *s);	/* never published */
void tlmap_slots_retire(struct tlmap_slots *s);	/* after a grace period */
/* without the lock; readers may still see @e for a grace period */
void tlmap_entry_release(struct tlmap *map, struct tlmap_entry *e);

void tlmap_init(struct tlmap *map, struct tlmap_slots *slots);
struct tlmap_entry *tlmap_lookup(struct tlmap *map,
				 const struct tlmap_key *key);
struct tlmap_entry *tlmap_get_entry(struct tlmap *map,
				    const struct tlmap_key *key);
int tlmap_set(struct tlmap *map, struct tlmap_entry *new,
	      struct tlmap_slots **spare);
bool tlmap_remove(struct tlmap *map, const struct tlmap_key *key);
struct tlmap_entry *tlmap_peek(struct tlmap *map, const struct tlmap_key *key);
int tlmap_insert_fresh(struct tlmap *map, struct tlmap_entry *e);
unsigned int tlmap_remove_if(struct tlmap *map,
			     bool (*match)(const struct tlmap_entry *e,
					   void *arg),
			     void *arg);
void tlmap_expunge_all(struct tlmap *map);
void tlmap_clear(struct tlmap *map);

#endif /* _TASKLOCAL_MAP_H */
