// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-task table: OpenJDK's ThreadLocalMap, in C.
 *
 * Each function below is the Java method of the same role, step for step,
 * so that a table here and a java.lang.ThreadLocal$ThreadLocalMap fed the
 * same operations stay identical slot for slot. Comments name the Java
 * method; where this code differs in mechanism (entries are replaced
 * rather than mutated, so that RCU readers see an entry's key and value
 * together) it leaves the same key in the same slot.
 */
#include <kunit/visibility.h>

#include "map.h"

static inline unsigned int next_index(unsigned int i, unsigned int len)
{
	return (i + 1) & (len - 1);
}

static inline unsigned int prev_index(unsigned int i, unsigned int len)
{
	return (i - 1) & (len - 1);
}

/* @e left the map: release it once the lock is dropped (tlmap_unlock()). */
static void release_later(struct tlmap *map, struct tlmap_entry *e)
{
	e->next = map->released;
	map->released = e;
}

/**
 * tlmap_release_list() - release entries the map let go of
 * @map: the map, its lock no longer held
 * @list: entries linked by ->next, from map->released
 */
void tlmap_release_list(struct tlmap *map, struct tlmap_entry *list)
{
	struct tlmap_entry *e, *next;

	for (e = list; e; e = next) {
		next = e->next;
		tlmap_entry_release(map, e);
	}
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_release_list);

static struct tlmap_slots *slots_locked(struct tlmap *map)
{
	return rcu_dereference_protected(map->slots,
					 lockdep_is_held(&map->lock));
}

static struct tlmap_entry *slot_locked(struct tlmap *map,
				       struct tlmap_slots *s, unsigned int i)
{
	return rcu_dereference_protected(s->slot[i],
					 lockdep_is_held(&map->lock));
}

/*
 * Read-only linear probe from @key's home slot, under RCU or the lock.
 * Java's probes expunge the stale entries they meet; a reader cannot, so
 * with @stop_at_stale it gives up there with ERR_PTR(-EAGAIN), else it
 * walks past them.
 */
static __always_inline struct tlmap_entry *
probe(struct tlmap *map, const struct tlmap_key *key, bool stop_at_stale)
{
	struct tlmap_slots *s = rcu_dereference_check(map->slots,
					lockdep_is_held(&map->lock));
	unsigned int mask = s->len - 1;
	unsigned int i = key->hash & mask;
	struct tlmap_entry *e;

	while ((e = rcu_dereference_check(s->slot[i],
					  lockdep_is_held(&map->lock)))) {
		if (e->key == key)
			return e;
		if (stop_at_stale && tlmap_entry_stale(e))
			return ERR_PTR(-EAGAIN);
		i = (i + 1) & mask;
	}
	return NULL;
}

/**
 * tlmap_init() - set up an empty map over a slot array
 * @map: the map
 * @slots: a zeroed slot array of TLMAP_INITIAL_LEN slots
 */
void tlmap_init(struct tlmap *map, struct tlmap_slots *slots)
{
	raw_spin_lock_init(&map->lock);
	seqcount_raw_spinlock_init(&map->seq, &map->lock);
	map->released = NULL;
	RCU_INIT_POINTER(map->slots, slots);
	map->size = 0;
	map->threshold = tlmap_threshold(slots->len);
	memset(&map->stats, 0, sizeof(map->stats));
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_init);

/**
 * tlmap_lookup() - find a key's entry without writing (owner fast path)
 * @map: the map
 * @key: a live key
 *
 * The read-only part of getEntry()/getEntryAfterMiss(). Java expunges any
 * stale entry it meets while probing; this function cannot, so it stops
 * there and asks the caller to repeat the lookup with tlmap_get_entry()
 * under the lock. It does the same when it found nothing while a writer
 * ran: another task's removal may have been moving the entry it looks
 * for (see the locking rules in map.h). A hit needs no such check: an
 * entry for @key is @key's, wherever it was met. Call under
 * rcu_read_lock(), not under map->lock.
 *
 * Return: the entry, NULL if @key has none, or ERR_PTR(-EAGAIN).
 */
struct tlmap_entry *tlmap_lookup(struct tlmap *map,
				 const struct tlmap_key *key)
{
	unsigned int seq = raw_seqcount_begin(&map->seq);
	struct tlmap_entry *e = probe(map, key, true);

	/* on a hit too: it ends what KCSAN takes for a seqcount section */
	if (read_seqcount_retry(&map->seq, seq) && !e)
		return ERR_PTR(-EAGAIN);
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_lookup);

/*
 * @new took the place of @old, the same key's entry. A value set again is
 * the caller's still: only a replaced value is destroyed.
 */
static void release_replaced(struct tlmap *map, struct tlmap_entry *old,
			     const struct tlmap_entry *new)
{
	if (old->value == new->value)
		WRITE_ONCE(old->value, NULL);
	release_later(map, old);
}

/* Take the entry out of slot @i and hand it back; no rehash. */
static void drop_slot(struct tlmap *map, struct tlmap_slots *s, unsigned int i)
{
	struct tlmap_entry *e = slot_locked(map, s, i);

	RCU_INIT_POINTER(s->slot[i], NULL);
	map->size--;
	release_later(map, e);
}

/*
 * expungeStaleEntry(): remove the entry at @stale_slot, then rehash every
 * entry up to the next empty slot, removing the stale ones met on the way.
 * Returns the index of that empty slot. expunge_run() does not count the
 * first entry as expunged: remove() uses it for a live one.
 */
static unsigned int expunge_run(struct tlmap *map, unsigned int stale_slot)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int len = s->len;
	struct tlmap_entry *e;
	unsigned int i, h;

	drop_slot(map, s, stale_slot);

	for (i = next_index(stale_slot, len);
	     (e = slot_locked(map, s, i));
	     i = next_index(i, len)) {
		if (tlmap_entry_stale(e)) {
			drop_slot(map, s, i);
			map->stats.expunged++;
			continue;
		}
		h = e->key->hash & (len - 1);
		if (h != i) {
			RCU_INIT_POINTER(s->slot[i], NULL);
			/* Unlike Knuth 6.4 Algorithm R, scan until null:
			 * several entries may have been stale.
			 */
			while (slot_locked(map, s, h))
				h = next_index(h, len);
			rcu_assign_pointer(s->slot[h], e);
		}
	}
	return i;
}

static unsigned int expunge_stale_entry(struct tlmap *map,
					unsigned int stale_slot)
{
	map->stats.expunged++;
	return expunge_run(map, stale_slot);
}

/*
 * cleanSomeSlots(): scan log2(n) slots after @i for stale entries; on
 * finding one, expunge its run and widen the scan to log2(len) more.
 */
static bool clean_some_slots(struct tlmap *map, unsigned int i, unsigned int n)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int len = s->len;
	struct tlmap_entry *e;
	bool removed = false;

	do {
		i = next_index(i, len);
		e = slot_locked(map, s, i);
		if (e && tlmap_entry_stale(e)) {
			n = len;
			removed = true;
			i = expunge_stale_entry(map, i);
		}
	} while ((n >>= 1) != 0);
	return removed;
}

/* getEntryAfterMiss(): probe on from @i, expunging stale entries met. */
static struct tlmap_entry *get_entry_after_miss(struct tlmap *map,
						const struct tlmap_key *key,
						unsigned int i)
{
	struct tlmap_slots *s = slots_locked(map);
	struct tlmap_entry *e;

	while ((e = slot_locked(map, s, i))) {
		if (e->key == key)
			return e;
		if (tlmap_entry_stale(e))
			expunge_stale_entry(map, i);
		else
			i = next_index(i, s->len);
	}
	return NULL;
}

/**
 * tlmap_get_entry() - find a key's entry, expunging stale entries met
 * @map: the map, its lock held
 * @key: a live key
 *
 * ThreadLocalMap.getEntry().
 *
 * Return: the entry, or NULL if @key has none.
 */
struct tlmap_entry *tlmap_get_entry(struct tlmap *map,
				    const struct tlmap_key *key)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int i = key->hash & (s->len - 1);
	struct tlmap_entry *e = slot_locked(map, s, i);

	lockdep_assert_held(&map->lock);
	if (e && e->key == key)
		return e;
	return get_entry_after_miss(map, key, i);
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_get_entry);

/*
 * replaceStaleEntry(): set @new's key, met stale at @stale_slot while
 * probing. Cleans out the whole run around @stale_slot on the way.
 */
static void replace_stale_entry(struct tlmap *map, struct tlmap_entry *new,
				unsigned int stale_slot)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int len = s->len;
	unsigned int slot_to_expunge = stale_slot;
	struct tlmap_entry *e;
	unsigned int i;

	/* Back up to the start of the run for an earlier stale entry: whole
	 * runs are cleaned at a time, since keys tend to die in bunches.
	 */
	for (i = prev_index(stale_slot, len);
	     (e = slot_locked(map, s, i));
	     i = prev_index(i, len))
		if (tlmap_entry_stale(e))
			slot_to_expunge = i;

	/* Find either the key or the trailing null of the run. */
	for (i = next_index(stale_slot, len);
	     (e = slot_locked(map, s, i));
	     i = next_index(i, len)) {
		if (e->key == new->key) {
			/* Swap with the stale slot to keep probe order; the
			 * stale entry, now at i, is expunged below.
			 */
			rcu_assign_pointer(s->slot[i],
					   slot_locked(map, s, stale_slot));
			rcu_assign_pointer(s->slot[stale_slot], new);
			release_replaced(map, e, new);

			if (slot_to_expunge == stale_slot)
				slot_to_expunge = i;
			clean_some_slots(map,
					 expunge_stale_entry(map, slot_to_expunge),
					 len);
			return;
		}
		/* No stale entry before stale_slot: the first one after it
		 * is the first still present in the run.
		 */
		if (tlmap_entry_stale(e) && slot_to_expunge == stale_slot)
			slot_to_expunge = i;
	}

	/* Key not found: the new entry takes the stale slot. */
	e = slot_locked(map, s, stale_slot);
	rcu_assign_pointer(s->slot[stale_slot], new);
	release_later(map, e);
	map->stats.expunged++;

	/* Other stale entries in the run: expunge them. */
	if (slot_to_expunge != stale_slot)
		clean_some_slots(map, expunge_stale_entry(map, slot_to_expunge),
				 len);
}

/* resize(): double the slot array, dropping stale entries. */
static void resize(struct tlmap *map, struct tlmap_slots **spare)
{
	struct tlmap_slots *old = slots_locked(map);
	unsigned int new_len = old->len * 2;
	struct tlmap_slots *new = NULL;
	struct tlmap_entry *e;
	unsigned int count = 0;
	unsigned int j, h;

	if (spare && *spare && (*spare)->len == new_len) {
		new = *spare;
		*spare = NULL;
	} else {
		new = tlmap_slots_alloc(new_len, GFP_ATOMIC | __GFP_NOWARN);
		if (!new)
			return;	/* still usable: tlmap_set() keeps a free slot */
	}

	for (j = 0; j < old->len; j++) {
		e = slot_locked(map, old, j);
		if (!e)
			continue;
		if (tlmap_entry_stale(e)) {
			release_later(map, e);
			map->stats.expunged++;
			continue;
		}
		h = e->key->hash & (new_len - 1);
		while (rcu_access_pointer(new->slot[h]))
			h = next_index(h, new_len);
		RCU_INIT_POINTER(new->slot[h], e);
		count++;
	}
	map->threshold = tlmap_threshold(new_len);
	map->size = count;
	map->stats.resizes++;
	rcu_assign_pointer(map->slots, new);
	tlmap_slots_retire(old);
}

/**
 * tlmap_expunge_all() - expunge every stale entry in the map
 * @map: the map, its lock held
 *
 * ThreadLocalMap.expungeStaleEntries().
 */
void tlmap_expunge_all(struct tlmap *map)
{
	struct tlmap_slots *s = slots_locked(map);
	struct tlmap_entry *e;
	unsigned int j;

	lockdep_assert_held(&map->lock);
	for (j = 0; j < s->len; j++) {
		e = slot_locked(map, s, j);
		if (e && tlmap_entry_stale(e))
			expunge_stale_entry(map, j);
	}
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_expunge_all);

/* rehash(): expunge all stale entries; double only if still 3/4 full. */
static void rehash(struct tlmap *map, struct tlmap_slots **spare)
{
	map->stats.rehashes++;
	tlmap_expunge_all(map);
	if (map->size >= map->threshold - map->threshold / 4)
		resize(map, spare);
}

/**
 * tlmap_set() - associate a key with a value
 * @map: the map, its lock held
 * @new: a new entry holding the key and value; the map takes it
 * @spare: a slot array of tlmap_grow_len() slots, or NULL; taken (and
 *	set to NULL) if the map grows, otherwise left to the caller
 *
 * ThreadLocalMap.set(). An existing entry for the key is replaced by @new
 * and released; so is a stale entry @new takes the slot of.
 *
 * Return: 0, or -ENOSPC if the map is full because growing it failed
 * before (nothing is changed then).
 */
int tlmap_set(struct tlmap *map, struct tlmap_entry *new,
	      struct tlmap_slots **spare)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int len = s->len;
	unsigned int i = new->key->hash & (len - 1);
	struct tlmap_entry *e;
	unsigned int sz;

	lockdep_assert_held(&map->lock);
	/* Probing relies on at least one empty slot. */
	if (map->size + 1 >= len)
		return -ENOSPC;

	for (; (e = slot_locked(map, s, i)); i = next_index(i, len)) {
		if (e->key == new->key) {
			rcu_assign_pointer(s->slot[i], new);
			release_replaced(map, e, new);
			return 0;
		}
		if (tlmap_entry_stale(e)) {
			replace_stale_entry(map, new, i);
			return 0;
		}
	}

	rcu_assign_pointer(s->slot[i], new);
	sz = ++map->size;
	if (!clean_some_slots(map, i, sz) && sz >= map->threshold)
		rehash(map, spare);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_set);

/**
 * tlmap_remove() - remove a key's entry
 * @map: the map, its lock held
 * @key: the key, live or dead
 *
 * ThreadLocalMap.remove(): the entry is released, then the rest of its
 * run is expunged and rehashed.
 *
 * Return: true if the key had an entry.
 */
bool tlmap_remove(struct tlmap *map, const struct tlmap_key *key)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int len = s->len;
	unsigned int i = key->hash & (len - 1);
	struct tlmap_entry *e;

	lockdep_assert_held(&map->lock);
	for (; (e = slot_locked(map, s, i)); i = next_index(i, len)) {
		if (e->key == key) {
			/* e.clear(); expungeStaleEntry(i); */
			expunge_run(map, i);
			return true;
		}
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_remove);

/**
 * tlmap_clear() - release every entry; the slot array stays
 * @map: the map, its lock held
 */
void tlmap_clear(struct tlmap *map)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int j;

	lockdep_assert_held(&map->lock);
	for (j = 0; j < s->len; j++)
		if (rcu_access_pointer(s->slot[j]))
			drop_slot(map, s, j);
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_clear);

/**
 * tlmap_peek() - find a key's entry, writing nothing, passing stale ones
 * @map: the map
 * @key: the key
 *
 * Unlike getEntry() this never expunges, so a caller that may still fail
 * can look first and leave the map as it was. Call under rcu_read_lock()
 * or map->lock.
 *
 * Return: the entry, or NULL.
 */
struct tlmap_entry *tlmap_peek(struct tlmap *map, const struct tlmap_key *key)
{
	return probe(map, key, false);
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_peek);

/**
 * tlmap_insert_fresh() - put an entry into a map being built
 * @map: the map, its lock held; @e's key has no entry in it
 * @e: the entry
 *
 * The loop body of Java's ThreadLocalMap(ThreadLocalMap parentMap)
 * constructor: the entry goes to the first empty slot from its home, no
 * stale entry is looked for, the map never grows.
 *
 * Return: 0, or -ENOSPC if that would leave no empty slot.
 */
int tlmap_insert_fresh(struct tlmap *map, struct tlmap_entry *e)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int i = e->key->hash & (s->len - 1);

	lockdep_assert_held(&map->lock);
	if (map->size + 1 >= s->len)
		return -ENOSPC;
	while (slot_locked(map, s, i))
		i = next_index(i, s->len);
	rcu_assign_pointer(s->slot[i], e);
	map->size++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_insert_fresh);

/**
 * tlmap_remove_if() - remove every entry @match accepts
 * @map: the map, its lock held
 * @match: the predicate
 * @arg: its argument
 *
 * Each is removed as remove() would (its run rehashed), and stale
 * entries met in those runs are expunged on the way. Rehashing can move
 * an unvisited entry behind the scan, so passes repeat until one removes
 * nothing.
 *
 * Return: how many entries left the map, stale ones included.
 */
unsigned int tlmap_remove_if(struct tlmap *map,
			     bool (*match)(const struct tlmap_entry *e,
					   void *arg),
			     void *arg)
{
	struct tlmap_slots *s = slots_locked(map);
	unsigned int size = map->size;
	struct tlmap_entry *e;
	bool removed;
	unsigned int j;

	lockdep_assert_held(&map->lock);
	do {
		removed = false;
		for (j = 0; j < s->len; j++) {
			e = slot_locked(map, s, j);
			if (e && match(e, arg)) {
				expunge_run(map, j);
				removed = true;
			}
		}
	} while (removed);
	return size - map->size;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_remove_if);
