// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the table algorithms (module/map.c), on tables laid out
 * slot by slot with keys of chosen hashes. Comments draw the slots that
 * matter: [3:k1] is key 1 live in slot 3, [4:x2] key 2 stale, [5:--] empty.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../module/internal.h"
#include "tasklocal_kunit.h"

/* A map owned by the test, with up to TM_KEYS keys numbered from 1. */
#define TM_KEYS 40

struct tmap {
	struct kunit *test;
	struct tlmap map;
	struct tasklocal_key *keys[TM_KEYS + 1];
	int destroyed;			/* values destroyed */
	char layout[TM_KEYS * 12];
};

static void tm_destroy_value(struct tasklocal_key *key, void *value)
{
	int *destroyed = tasklocal_key_data(key);

	(*destroyed)++;
}

static const struct tasklocal_key_ops tm_ops = {
	.destroy = tm_destroy_value,
};

static void tm_free(void *arg)
{
	struct tmap *tm = arg;
	struct tlmap_slots *s;
	int i;

	tlmap_lock(&tm->map);
	tlmap_clear(&tm->map);
	s = rcu_dereference_protected(tm->map.slots, 1);
	tlmap_unlock(&tm->map);
	tlmap_slots_retire(s);
	for (i = 1; i <= TM_KEYS; i++)
		if (tm->keys[i] && !tlmap_key_dead(&tm->keys[i]->mk))
			tasklocal_key_put(tm->keys[i]);
}

static struct tmap *tm_new(struct kunit *test)
{
	struct tmap *tm = kunit_kzalloc(test, sizeof(*tm), GFP_KERNEL);
	struct tlmap_slots *s;

	KUNIT_ASSERT_NOT_NULL(test, tm);
	s = tlmap_slots_alloc(TLMAP_INITIAL_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	tlmap_init(&tm->map, s);
	tm->test = test;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, tm_free, tm));
	return tm;
}

/* Key @n, with the given hash (its home slot is hash & (len - 1)). */
static void tm_key(struct tmap *tm, int n, u32 hash)
{
	struct tasklocal_key *key = tl_key_alloc(&tm_ops, &tm->destroyed,
						 hash);

	KUNIT_ASSERT_FALSE(tm->test, IS_ERR(key));
	tm->keys[n] = key;
}

/* As tl_set() does: nothing is allocated under the map's (raw) lock. */
static void tm_set(struct tmap *tm, int n, long value)
{
	struct tlmap_entry *e = tl_entry_alloc(tm->keys[n], (void *)value,
					       GFP_KERNEL);
	struct tlmap_slots *spare = NULL;
	unsigned int grow_len;

	KUNIT_ASSERT_NOT_NULL(tm->test, e);
	grow_len = tlmap_grow_len(rcu_dereference_protected(tm->map.slots, 1),
				  tm->map.size);
	if (grow_len) {
		spare = tlmap_slots_alloc(grow_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(tm->test, spare);
	}
	tlmap_lock(&tm->map);
	KUNIT_EXPECT_EQ(tm->test, 0, tlmap_set(&tm->map, e, &spare));
	tlmap_unlock(&tm->map);
	if (spare)
		tlmap_slots_free(spare);
}

/* The value of key @n, or -1: getEntry(), expunging on the way. */
static long tm_get(struct tmap *tm, int n)
{
	struct tlmap_entry *e;

	tlmap_lock(&tm->map);
	e = tlmap_get_entry(&tm->map, &tm->keys[n]->mk);
	tlmap_unlock(&tm->map);
	return e ? (long)e->value : -1;
}

static bool tm_remove(struct tmap *tm, int n)
{
	bool removed;

	tlmap_lock(&tm->map);
	removed = tlmap_remove(&tm->map, &tm->keys[n]->mk);
	tlmap_unlock(&tm->map);
	return removed;
}

/* Key @n dies: the GC clearing the referent, in Java. */
static void tm_kill(struct tmap *tm, int n)
{
	tasklocal_key_put(tm->keys[n]);
}

static int tm_key_number(struct tmap *tm, struct tlmap_key *mk)
{
	int i;

	for (i = 1; i <= TM_KEYS; i++)
		if (tm->keys[i] && &tm->keys[i]->mk == mk)
			return i;
	return 0;
}

/* "len=16 size=2 | 3:k1 4:x2": the occupied slots, in order. */
static const char *tm_layout(struct tmap *tm)
{
	struct tlmap_slots *s = rcu_dereference_protected(tm->map.slots, 1);
	size_t n = sizeof(tm->layout);
	char *p = tm->layout;
	unsigned int i;
	int w;

	w = scnprintf(p, n, "len=%u size=%u |", s->len, tm->map.size);
	for (i = 0; i < s->len; i++) {
		struct tlmap_entry *e = rcu_dereference_protected(s->slot[i], 1);

		if (e)
			w += scnprintf(p + w, n - w, " %u:%c%d", i,
				       tlmap_entry_stale(e) ? 'x' : 'k',
				       tm_key_number(tm, e->key));
	}
	return tm->layout;
}

#define TM_EXPECT_LAYOUT(tm, want) \
	KUNIT_EXPECT_STREQ(test, tm_layout(tm), want)

static unsigned int tm_len(struct tmap *tm)
{
	return rcu_dereference_protected(tm->map.slots, 1)->len;
}

/* Keys 1..n with hashes home, home+16, ...: one run from slot @home. */
static void tm_run(struct tmap *tm, int first, int last, u32 home)
{
	int n;

	for (n = first; n <= last; n++) {
		tm_key(tm, n, home + 16 * (n - first));
		tm_set(tm, n, n);
	}
}

static void tasklocal_map_set_home_slot(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_key(tm, 1, 3);
	tm_key(tm, 2, 0x61c88647);	/* home 7 */
	tm_set(tm, 1, 10);
	tm_set(tm, 2, 20);
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 3:k1 7:k2");
	KUNIT_EXPECT_EQ(test, 10, tm_get(tm, 1));
	KUNIT_EXPECT_EQ(test, 20, tm_get(tm, 2));
}

static void tasklocal_map_collision_probes_linearly(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 3, 5);
	/* [5:k1][6:k2][7:k3] */
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 5:k1 6:k2 7:k3");
	KUNIT_EXPECT_EQ(test, 3, tm_get(tm, 3));
}

static void tasklocal_map_probe_wraps_around(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 3, 14);
	/* [14:k1][15:k2] then wrap: [0:k3] */
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 0:k3 14:k1 15:k2");
	KUNIT_EXPECT_EQ(test, 3, tm_get(tm, 3));
	KUNIT_EXPECT_TRUE(test, tm_remove(tm, 1));
	/* expunge rehashes k2 to 14 and k3 to 15 */
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 14:k2 15:k3");
}

static void tasklocal_map_set_replaces_value(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_key(tm, 1, 2);
	tm_set(tm, 1, 10);
	tm_set(tm, 1, 11);
	KUNIT_EXPECT_EQ(test, 11, tm_get(tm, 1));
	KUNIT_EXPECT_EQ(test, 1, tm->destroyed);	/* value 10 */
	tm_set(tm, 1, 11);				/* same value again */
	KUNIT_EXPECT_EQ(test, 1, tm->destroyed);
	TM_EXPECT_LAYOUT(tm, "len=16 size=1 | 2:k1");
}

static void tasklocal_map_remove_rehashes_run(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 3, 4);
	/* [4:k1][5:k2][6:k3] -> remove k1 -> [4:k2][5:k3] */
	KUNIT_EXPECT_TRUE(test, tm_remove(tm, 1));
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 4:k2 5:k3");
	KUNIT_EXPECT_FALSE(test, tm_remove(tm, 1));
	KUNIT_EXPECT_EQ(test, 1, tm->destroyed);
}

static void tasklocal_map_get_expunges_stale_in_run(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 3, 8);
	tm_kill(tm, 1);
	/* [8:x1][9:k2][10:k3]: get(k3) misses home, expunges x1 */
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 8:x1 9:k2 10:k3");
	KUNIT_EXPECT_EQ(test, 3, tm_get(tm, 3));
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 8:k2 9:k3");
	KUNIT_EXPECT_EQ(test, 1, tm->destroyed);
	KUNIT_EXPECT_EQ(test, 1, tm->map.stats.expunged);
}

static void tasklocal_map_lookup_stops_at_stale(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	struct tlmap_entry *e;

	tm_run(tm, 1, 2, 8);
	tm_kill(tm, 1);
	/* [8:x1][9:k2]: the lock-free lookup may not expunge */
	rcu_read_lock();
	e = tlmap_lookup(&tm->map, &tm->keys[2]->mk);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, -EAGAIN, PTR_ERR_OR_ZERO(e));
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 8:x1 9:k2");
}

/*
 * replaceStaleEntry, the four cases of seed 000 section 2.3: stale entry
 * before staleSlot in the run or not, key found after it or not.
 */
static void tasklocal_map_replace_stale_none_before_found(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	/* k9 home 3 so it sits after the stale slot; k1..k4 from 1. */
	tm_run(tm, 1, 4, 1);		/* [1:k1][2:k2][3:k3][4:k4] */
	tm_key(tm, 9, 1 + 16 * 9);
	tm_set(tm, 9, 90);		/* [5:k9] */
	tm_kill(tm, 1);
	tm_kill(tm, 3);
	/* [1:x1][2:k2][3:x3][4:k4][5:k9]: set k9 meets x1 at 1 first */
	tm_set(tm, 9, 91);
	/* backward scan finds nothing before 1 (slot 0 empty): x1 is
	 * staleSlot; forward: x3 at 3 sets slotToExpunge, k9 found at 5,
	 * swapped into 1, run expunged from 3.
	 */
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 1:k9 2:k2 3:k4");
	KUNIT_EXPECT_EQ(test, 91, tm_get(tm, 9));
	KUNIT_EXPECT_EQ(test, 3, tm->destroyed);	/* 90, 1, 3 */
}

static void tasklocal_map_replace_stale_before_found(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 4, 1);		/* [1:k1][2:k2][3:k3][4:k4] */
	tm_key(tm, 9, 2 + 16 * 9);
	tm_set(tm, 9, 90);		/* [5:k9] */
	tm_kill(tm, 1);
	tm_kill(tm, 3);
	/* set k9 (home 2) meets x3 at 3: x1 before it is found by the
	 * backward scan, k9 found at 5 and swapped into 3.
	 */
	tm_set(tm, 9, 91);
	/* the run expunged from 1 rehashes k2, k9, k4 back toward home */
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 1:k2 2:k9 3:k4");
	KUNIT_EXPECT_EQ(test, 91, tm_get(tm, 9));
}

static void tasklocal_map_replace_stale_before_not_found(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 4, 1);		/* [1:k1][2:k2][3:k3][4:k4] */
	tm_kill(tm, 1);
	tm_kill(tm, 3);
	tm_key(tm, 9, 2 + 16 * 9);
	/* new k9 (home 2) meets x3 at 3; x1 before it; not found: k9
	 * takes slot 3, the run is cleaned from 1.
	 */
	tm_set(tm, 9, 90);
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 1:k2 2:k9 3:k4");
	KUNIT_EXPECT_EQ(test, 2, tm->destroyed);
}

static void tasklocal_map_replace_stale_none_before_not_found(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 3, 1);		/* [1:k1][2:k2][3:k3] */
	tm_kill(tm, 2);
	tm_key(tm, 9, 2 + 16 * 9);
	/* new k9 (home 2) meets x2 at 2, no stale before nor after, not
	 * found: takes slot 2, nothing else expunged.
	 */
	tm_set(tm, 9, 90);
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 1:k1 2:k9 3:k3");
	KUNIT_EXPECT_EQ(test, 1, tm->destroyed);
}

static void tasklocal_map_replace_stale_none_before_stale_after(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 4, 1);		/* [1:k1][2:k2][3:k3][4:k4] */
	tm_kill(tm, 2);
	tm_kill(tm, 4);
	tm_key(tm, 9, 2 + 16 * 9);
	/* new k9 meets x2; no stale before; x4 after becomes
	 * slotToExpunge; not found: k9 takes 2, x4 expunged.
	 */
	tm_set(tm, 9, 90);
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 1:k1 2:k9 3:k3");
	KUNIT_EXPECT_EQ(test, 2, tm->destroyed);
}

static void tasklocal_map_clean_some_slots_widens(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_key(tm, 1, 1);
	tm_key(tm, 2, 5);
	tm_key(tm, 4, 12);
	tm_set(tm, 1, 1);
	tm_set(tm, 2, 2);
	tm_set(tm, 4, 4);
	tm_kill(tm, 1);
	tm_kill(tm, 2);
	tm_kill(tm, 4);
	/* [1:x1][5:x2][12:x4] */
	tm_key(tm, 3, 0);
	tm_set(tm, 3, 3);
	/* Inserted at 0, size 4: the scan would cover slots 1-3. It finds
	 * x1 at 1 and widens to log2(16): slots 3-6, where it finds x2 at
	 * 5 and widens again: 7-10. x4 at 12 stays out of reach.
	 */
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 0:k3 12:x4");
	KUNIT_EXPECT_EQ(test, 2, tm->map.stats.expunged);
	KUNIT_EXPECT_EQ(test, 0, tm->map.stats.rehashes);
}

static void tasklocal_map_resize_at_threshold(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	int n;

	KUNIT_EXPECT_EQ(test, 10, tm->map.threshold);
	for (n = 1; n <= 9; n++) {
		tm_key(tm, n, n * TLMAP_HASH_INCREMENT);
		tm_set(tm, n, n);
	}
	KUNIT_EXPECT_EQ(test, 16, tm_len(tm));
	tm_key(tm, 10, 10 * TLMAP_HASH_INCREMENT);
	tm_set(tm, 10, 10);	/* size 10 >= threshold 10: rehash, grow */
	KUNIT_EXPECT_EQ(test, 32, tm_len(tm));
	KUNIT_EXPECT_EQ(test, 21, tm->map.threshold);
	KUNIT_EXPECT_EQ(test, 10, tm->map.size);
	KUNIT_EXPECT_EQ(test, 1, tm->map.stats.resizes);
	for (n = 1; n <= 10; n++)
		KUNIT_EXPECT_EQ_MSG(test, n, tm_get(tm, n), "key %d", n);
}

static void tasklocal_map_rehash_expunges_before_growing(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	int n;

	for (n = 1; n <= 9; n++) {
		tm_key(tm, n, n * TLMAP_HASH_INCREMENT);
		tm_set(tm, n, n);
	}
	/* Homes 7 14 5 12 3 10 1 8 15, and 6 for key 10. Kill the keys at
	 * 5, 3 and 1: behind slot 6, out of cleanSomeSlots' forward scan
	 * (7-10), so the insert reaches the threshold; rehash() sweeps
	 * them and, with size 7 < 10 - 10/4, does not grow.
	 */
	tm_kill(tm, 3);
	tm_kill(tm, 5);
	tm_kill(tm, 7);
	tm_key(tm, 10, 10 * TLMAP_HASH_INCREMENT);
	tm_set(tm, 10, 10);
	KUNIT_EXPECT_EQ(test, 16, tm_len(tm));
	KUNIT_EXPECT_EQ(test, 7, tm->map.size);
	KUNIT_EXPECT_EQ(test, 0, tm->map.stats.resizes);
	KUNIT_EXPECT_EQ(test, 1, tm->map.stats.rehashes);
	KUNIT_EXPECT_EQ(test, 3, tm->destroyed);
	TM_EXPECT_LAYOUT(tm, "len=16 size=7 | 6:k10 7:k1 8:k8 10:k6 12:k4 14:k2 15:k9");
}

static void tasklocal_map_resize_keeps_every_entry(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	int n;

	/* 16 -> 32 at the 10th key, 32 -> 64 at the 21st */
	for (n = 1; n <= 30; n++) {
		tm_key(tm, n, n * TLMAP_HASH_INCREMENT);
		tm_set(tm, n, n);
	}
	KUNIT_EXPECT_EQ(test, 64, tm_len(tm));
	KUNIT_EXPECT_EQ(test, 42, tm->map.threshold);
	KUNIT_EXPECT_EQ(test, 2, tm->map.stats.resizes);
	KUNIT_EXPECT_EQ(test, 0, tm->destroyed);
	for (n = 1; n <= 30; n++)
		KUNIT_EXPECT_EQ_MSG(test, n, tm_get(tm, n), "key %d", n);
}

static void tasklocal_map_expunge_all(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 4, 6);
	tm_kill(tm, 2);
	tm_kill(tm, 4);
	tlmap_lock(&tm->map);
	tlmap_expunge_all(&tm->map);
	tlmap_unlock(&tm->map);
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 6:k1 7:k3");
	KUNIT_EXPECT_EQ(test, 2, tm->destroyed);
}

static void tasklocal_map_clear_destroys_all(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 5, 0);
	tm_kill(tm, 3);
	tlmap_lock(&tm->map);
	tlmap_clear(&tm->map);
	tlmap_unlock(&tm->map);
	TM_EXPECT_LAYOUT(tm, "len=16 size=0 |");
	KUNIT_EXPECT_EQ(test, 5, tm->destroyed);
}

static void tasklocal_map_remove_expunges_stale_in_run(struct kunit *test)
{
	struct tmap *tm = tm_new(test);

	tm_run(tm, 1, 4, 3);
	tm_kill(tm, 3);
	/* [3:k1][4:k2][5:x3][6:k4]: remove k2 expunges x3 on the way */
	KUNIT_EXPECT_TRUE(test, tm_remove(tm, 2));
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 3:k1 4:k4");
	KUNIT_EXPECT_EQ(test, 2, tm->destroyed);
	KUNIT_EXPECT_EQ(test, 1, tm->map.stats.expunged);
}

static void tasklocal_map_peek_passes_stale_writes_nothing(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	struct tlmap_entry *e;

	tm_run(tm, 1, 3, 8);
	tm_kill(tm, 1);
	/* [8:x1][9:k2][10:k3] */
	tlmap_lock(&tm->map);
	e = tlmap_peek(&tm->map, &tm->keys[3]->mk);
	tlmap_unlock(&tm->map);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, 3L, (long)e->value);
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 8:x1 9:k2 10:k3");
	KUNIT_EXPECT_EQ(test, 0, tm->destroyed);
}

static void tasklocal_map_insert_fresh_first_free_slot(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	struct tlmap_entry *e;
	int n;

	/* As Java's ThreadLocalMap(parentMap): no cleaning, no growth */
	for (n = 1; n <= 3; n++) {
		tm_key(tm, n, 15);
		e = tl_entry_alloc(tm->keys[n], (void *)(long)n, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, e);
		tlmap_lock(&tm->map);
		KUNIT_EXPECT_EQ(test, 0, tlmap_insert_fresh(&tm->map, e));
		tlmap_unlock(&tm->map);
	}
	TM_EXPECT_LAYOUT(tm, "len=16 size=3 | 0:k2 1:k3 15:k1");
	KUNIT_EXPECT_EQ(test, 0, tm->map.stats.rehashes);
}

static bool odd_value(const struct tlmap_entry *e, void *arg)
{
	return (long)e->value & 1;
}

static void tasklocal_map_remove_if_keeps_run_order(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	unsigned int removed;

	/* One run that wraps: [14:k1][15:k2][0:k3][1:k4][2:k5] */
	tm_run(tm, 1, 5, 14);
	tlmap_lock(&tm->map);
	removed = tlmap_remove_if(&tm->map, odd_value, NULL);
	tlmap_unlock(&tm->map);
	KUNIT_EXPECT_EQ(test, 3U, removed);
	TM_EXPECT_LAYOUT(tm, "len=16 size=2 | 14:k2 15:k4");
	KUNIT_EXPECT_EQ(test, 2, tm_get(tm, 2));
	KUNIT_EXPECT_EQ(test, 4, tm_get(tm, 4));
}

/*
 * CLEAR's count: an entry removed drags the stale entries of its run out
 * with it, and those left the map too. OpenJDK, fed set a; set b; kill b
 * and a remove of every entry, empties the map: two entries gone.
 */
static void tasklocal_map_remove_if_counts_stale_dropped(struct kunit *test)
{
	struct tmap *tm = tm_new(test);
	unsigned int removed;

	/* [5:k1][6:x2]: k2 dead, its value even, so no match */
	tm_key(tm, 1, 5);
	tm_key(tm, 2, 5 + 16);
	tm_set(tm, 1, 1);
	tm_set(tm, 2, 2);
	tm_kill(tm, 2);
	tlmap_lock(&tm->map);
	removed = tlmap_remove_if(&tm->map, odd_value, NULL);
	tlmap_unlock(&tm->map);
	KUNIT_EXPECT_EQ(test, 2U, removed);
	TM_EXPECT_LAYOUT(tm, "len=16 size=0 |");
	KUNIT_EXPECT_EQ(test, 2, tm->destroyed);
}

static struct kunit_case tasklocal_map_cases[] = {
	KUNIT_CASE(tasklocal_map_set_home_slot),
	KUNIT_CASE(tasklocal_map_collision_probes_linearly),
	KUNIT_CASE(tasklocal_map_probe_wraps_around),
	KUNIT_CASE(tasklocal_map_set_replaces_value),
	KUNIT_CASE(tasklocal_map_remove_rehashes_run),
	KUNIT_CASE(tasklocal_map_get_expunges_stale_in_run),
	KUNIT_CASE(tasklocal_map_lookup_stops_at_stale),
	KUNIT_CASE(tasklocal_map_replace_stale_none_before_found),
	KUNIT_CASE(tasklocal_map_replace_stale_before_found),
	KUNIT_CASE(tasklocal_map_replace_stale_before_not_found),
	KUNIT_CASE(tasklocal_map_replace_stale_none_before_not_found),
	KUNIT_CASE(tasklocal_map_replace_stale_none_before_stale_after),
	KUNIT_CASE(tasklocal_map_clean_some_slots_widens),
	KUNIT_CASE(tasklocal_map_resize_at_threshold),
	KUNIT_CASE(tasklocal_map_rehash_expunges_before_growing),
	KUNIT_CASE(tasklocal_map_resize_keeps_every_entry),
	KUNIT_CASE(tasklocal_map_expunge_all),
	KUNIT_CASE(tasklocal_map_clear_destroys_all),
	KUNIT_CASE(tasklocal_map_remove_expunges_stale_in_run),
	KUNIT_CASE(tasklocal_map_peek_passes_stale_writes_nothing),
	KUNIT_CASE(tasklocal_map_insert_fresh_first_free_slot),
	KUNIT_CASE(tasklocal_map_remove_if_keeps_run_order),
	KUNIT_CASE(tasklocal_map_remove_if_counts_stale_dropped),
	{}
};

struct kunit_suite tasklocal_map_suite = {
	.name = "tasklocal_map",
	.test_cases = tasklocal_map_cases,
};
