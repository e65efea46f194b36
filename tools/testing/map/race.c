// SPDX-License-Identifier: GPL-2.0-only
/*
 * map-race: module/map.c, built natively, with two threads on one map.
 *
 * The owner looks a key up lock-free (tlmap_lookup(), as the kernel's
 * get does under RCU) while another thread removes a key that shares its
 * home slot and sits before it in the probe run: [5:a][6:k]. The removal
 * rehashes the run, emptying slot 5 before k moves there, so a lookup
 * that reads slot 5 in between must not answer "absent": it must find k
 * or ask for the locked path (ERR_PTR(-EAGAIN)), which finds k.
 *
 * usage: map-race [ROUNDS]	(default 200000); exits 1 on a false miss.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../../module/map.h"

#define HOME	5
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct tlmap map;
static struct tlmap_key key_a = { .hash = HOME };
static struct tlmap_key key_k = { .hash = HOME + TLMAP_INITIAL_LEN };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int go, quit;		/* owner -> remover: remove a now; stop */

/* Entries are freed only at the end: the lock-free reader may hold one. */
static struct tlmap_entry *graveyard[1 << 22];
static unsigned long buried;

struct tlmap_slots *tlmap_slots_alloc(unsigned int len, gfp_t gfp)
{
	struct tlmap_slots *s = calloc(1, sizeof(*s));

	(void)gfp;
	if (!s)
		abort();
	s->slot = calloc(len, sizeof(*s->slot));
	if (!s->slot)
		abort();
	s->len = len;
	return s;
}

void tlmap_slots_free(struct tlmap_slots *s)
{
	free(s->slot);
	free(s);
}

void tlmap_slots_retire(struct tlmap_slots *s)
{
	tlmap_slots_free(s);	/* the map never grows here */
}

void tlmap_entry_release(struct tlmap *m, struct tlmap_entry *e)
{
	(void)m;
	if (buried == ARRAY_SIZE(graveyard))
		abort();
	graveyard[buried++] = e;
}

static struct tlmap_entry *entry(struct tlmap_key *key, long value)
{
	struct tlmap_entry *e = calloc(1, sizeof(*e));

	if (!e)
		abort();
	e->key = key;
	e->value = (void *)value;
	return e;
}

static void locked_set(struct tlmap_key *key, long value)
{
	pthread_mutex_lock(&lock);
	tlmap_lock(&map);
	if (tlmap_set(&map, entry(key, value), NULL))
		abort();
	tlmap_unlock(&map);
	pthread_mutex_unlock(&lock);
}

static void *remover(void *arg)
{
	(void)arg;
	for (;;) {
		while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
			if (__atomic_load_n(&quit, __ATOMIC_ACQUIRE))
				return NULL;
		pthread_mutex_lock(&lock);
		tlmap_lock(&map);
		tlmap_remove(&map, &key_a);
		tlmap_unlock(&map);
		pthread_mutex_unlock(&lock);
		__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	}
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	unsigned long r, lookups = 0, retries = 0, misses = 0;
	struct tlmap_entry *e;
	pthread_t thread;

	tlmap_init(&map, tlmap_slots_alloc(TLMAP_INITIAL_LEN, 0));
	if (pthread_create(&thread, NULL, remover, NULL))
		abort();
	for (r = 0; r < rounds; r++) {
		/* [5:a][6:k], k holding r */
		pthread_mutex_lock(&lock);
		tlmap_lock(&map);
		tlmap_remove(&map, &key_k);
		tlmap_unlock(&map);
		pthread_mutex_unlock(&lock);
		locked_set(&key_a, -1);
		locked_set(&key_k, (long)r);
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		do {
			lookups++;
			e = tlmap_lookup(&map, &key_k);
			if (IS_ERR(e)) {	/* the locked path */
				retries++;
				pthread_mutex_lock(&lock);
				tlmap_lock(&map);
				e = tlmap_get_entry(&map, &key_k);
				tlmap_unlock(&map);
				pthread_mutex_unlock(&lock);
			}
			if (!e || (long)e->value != (long)r)
				misses++;
		} while (__atomic_load_n(&go, __ATOMIC_ACQUIRE));
	}
	__atomic_store_n(&quit, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	printf("map-race: %lu rounds, %lu lookups, %lu locked retries, %lu false misses\n",
	       rounds, lookups, retries, misses);
	while (buried)
		free(graveyard[--buried]);
	return misses ? 1 : 0;
}
