// SPDX-License-Identifier: GPL-2.0-only
/*
 * native: instruction counts of the table's lookup, module/map.c built in
 * userspace against tools/testing/shim, under valgrind --tool=callgrind.
 *
 * Each measurement is one loop between CALLGRIND_ZERO_STATS and
 * CALLGRIND_DUMP_STATS_AT("NAME ARG ITERS"), so callgrind writes one
 * profile per measurement; run.sh reads the inclusive cost of the
 * function measured (tlmap_lookup, pthread_getspecific) from each and
 * divides by ITERS. Measured:
 *
 *   lookup K        get hit, K keys set (hashes 0, 0x61c88647, ... as
 *                   java.lang.ThreadLocal makes them), keys round-robin
 *   miss K          get miss: the next 64 keys in sequence, not set
 *   getspecific K   glibc's pthread_getspecific(), K keys set
 *   noop 0          the same loop calling a function that does nothing
 *   probe D         get hit on a key D slots past its home slot (keys
 *                   whose hashes all share their low 20 bits)
 *
 * Outside valgrind the loops run, uncounted; "info" lines describe the
 * tables (length, average probe distance of the keys looked up).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <valgrind/callgrind.h>

#include "../../../module/map.h"

#define MAX_KEYS	1024
#define MISS_KEYS	64	/* never set: misses */
#define PROBE_KEYS	16
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const unsigned int sizes[] = { 1, 16, 64, 256, 1024 };

static struct tlmap_key keys[MAX_KEYS + MISS_KEYS];
static const struct tlmap_key *key_ptrs[MAX_KEYS + MISS_KEYS];
static pthread_key_t pkeys[MAX_KEYS];
static unsigned long sink;	/* loops store here: nothing is optimized out */

static void map_new(struct tlmap *map)
{
	tlmap_init(map, tlmap_slots_alloc(TLMAP_INITIAL_LEN, 0));
}

static void map_free(struct tlmap *map)
{
	tlmap_lock(map);
	tlmap_clear(map);
	tlmap_unlock(map);
	tlmap_slots_free(map->slots);
}

static void map_set(struct tlmap *map, struct tlmap_key *key)
{
	struct tlmap_entry *e = calloc(1, sizeof(*e));

	if (!e) {
		perror("calloc");
		exit(1);
	}
	e->key = key;
	e->value = key;
	tlmap_lock(map);
	if (tlmap_set(map, e, NULL)) {
		fprintf(stderr, "native: tlmap_set failed\n");
		exit(1);
	}
	tlmap_unlock(map);
}

/* How far past its home slot @key's entry sits. */
static unsigned int probe_distance(struct tlmap *map,
				   const struct tlmap_key *key)
{
	struct tlmap_slots *s = map->slots;
	unsigned int i, home = key->hash & (s->len - 1);

	for (i = home; s->slot[i]; i = (i + 1) & (s->len - 1))
		if (s->slot[i]->key == key)
			return (i - home) & (s->len - 1);
	fprintf(stderr, "native: key not found\n");
	exit(1);
}

static __attribute__((noipa)) struct tlmap_entry *
noop_lookup(struct tlmap *map, const struct tlmap_key *key)
{
	(void)map;
	(void)key;
	return NULL;
}

static __attribute__((noipa)) void
loop_lookup(struct tlmap *map, const struct tlmap_key **ks, unsigned int mask,
	    unsigned long n, bool noop)
{
	struct tlmap_entry *e;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (noop)
			e = noop_lookup(map, ks[i & mask]);
		else
			e = tlmap_lookup(map, ks[i & mask]);
		WRITE_ONCE(sink, (unsigned long)e);
	}
}

static __attribute__((noipa)) void
loop_getspecific(unsigned int mask, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(sink,
			   (unsigned long)pthread_getspecific(pkeys[i & mask]));
}

static void dump(const char *name, unsigned int arg, unsigned long n)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s %u %lu", name, arg, n);
	CALLGRIND_DUMP_STATS_AT(buf);
}

static void bench_lookup(unsigned long n)
{
	unsigned int i, k, sum;
	struct tlmap map;

	for (i = 0; i < MAX_KEYS + MISS_KEYS; i++) {
		keys[i].hash = i * TLMAP_HASH_INCREMENT;
		key_ptrs[i] = &keys[i];
	}
	map_new(&map);
	CALLGRIND_ZERO_STATS;
	loop_lookup(&map, key_ptrs, 0, n, true);
	dump("noop", 0, n);
	for (k = 0, i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (; k < sizes[i]; k++)
			map_set(&map, &keys[k]);
		for (sum = 0, k = 0; k < sizes[i]; k++)
			sum += probe_distance(&map, &keys[k]);
		printf("info lookup %u len %u size %u mean_probe %.3f\n",
		       sizes[i], map.slots->len, map.size,
		       (double)sum / sizes[i]);
		CALLGRIND_ZERO_STATS;
		loop_lookup(&map, key_ptrs, sizes[i] - 1, n, false);
		dump("lookup", sizes[i], n);
		/* the next MISS_KEYS keys in sequence are not set yet */
		CALLGRIND_ZERO_STATS;
		loop_lookup(&map, &key_ptrs[sizes[i]], MISS_KEYS - 1, n, false);
		dump("miss", sizes[i], n);
	}
	map_free(&map);
}

static void bench_probe(unsigned long n)
{
	unsigned int d, dist;
	struct tlmap map;

	map_new(&map);
	for (d = 0; d < PROBE_KEYS; d++) {
		keys[d].hash = d << 20;		/* all home at slot 0 */
		map_set(&map, &keys[d]);
	}
	for (d = 0; d < PROBE_KEYS; d++) {
		dist = probe_distance(&map, &keys[d]);
		key_ptrs[0] = &keys[d];
		CALLGRIND_ZERO_STATS;
		loop_lookup(&map, key_ptrs, 0, n, false);
		dump("probe", dist, n);
	}
	map_free(&map);
}

static void bench_getspecific(unsigned long n)
{
	unsigned int i, k = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (; k < sizes[i]; k++) {
			if (pthread_key_create(&pkeys[k], NULL))
				break;
			pthread_setspecific(pkeys[k], &pkeys[k]);
		}
		if (k < sizes[i]) {
			/* glibc allows PTHREAD_KEYS_MAX, some may be taken */
			printf("info getspecific %u only %u keys\n", sizes[i], k);
			continue;
		}
		CALLGRIND_ZERO_STATS;
		loop_getspecific(sizes[i] - 1, n);
		dump("getspecific", sizes[i], n);
	}
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;

	bench_lookup(n);
	bench_probe(n);
	bench_getspecific(n);
	return 0;
}
