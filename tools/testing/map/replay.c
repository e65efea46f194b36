// SPDX-License-Identifier: GPL-2.0-only
/*
 * map-replay: run a script of table operations through module/map.c,
 * built natively, and print the table after each one.
 *
 * The same script fed to MapOracle.java (which drives OpenJDK's real
 * java.lang.ThreadLocal$ThreadLocalMap) must print the same lines: that
 * is the differential test of the table's fidelity.
 *
 * Script, one operation a line ('#' starts a comment):
 *   key ID HASH     create key ID (0..MAX_KEYS-1) with a 32-bit hash
 *   set ID VALUE    map.set(key, VALUE); the map is created by the first
 *   get ID          map.getEntry(key)
 *   remove ID       map.remove(key)
 *   kill ID         the key dies (Java: the GC clears its referent)
 *   expunge         map.expungeStaleEntries()
 *   reset           forget every key and the map (next scenario)
 *
 * Output, one line per operation:
 *   OP ARGS | RESULT | len=L size=S threshold=T | SLOT SLOT ...
 * where RESULT is a value, "none" or "-", and a SLOT is "." (empty),
 * "kID=VALUE" (live) or "xID=VALUE" (stale: its key is dead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../module/map.h"

#define MAX_KEYS	4096

struct replay_key {
	struct tlmap_key mk;
	int id;
	bool exists;
};

static struct replay_key keys[MAX_KEYS];
static struct tlmap map;
static bool have_map;

static long entry_value(const struct tlmap_entry *e)
{
	return (long)(intptr_t)e->value;
}

static int key_id(const struct tlmap_key *k)
{
	return ((const struct replay_key *)k)->id;
}

static void print_state(void)
{
	struct tlmap_slots *s;
	unsigned int i;

	if (!have_map) {
		printf("len=0 size=0 threshold=0 |\n");
		return;
	}
	s = map.slots;
	printf("len=%u size=%u threshold=%u |", s->len, map.size,
	       map.threshold);
	for (i = 0; i < s->len; i++) {
		struct tlmap_entry *e = s->slot[i];

		if (!e)
			printf(" .");
		else
			printf(" %c%d=%ld", tlmap_entry_stale(e) ? 'x' : 'k',
			       key_id(e->key), entry_value(e));
	}
	printf("\n");
}

static void reset(void)
{
	if (have_map) {
		tlmap_lock(&map);
		tlmap_clear(&map);
		tlmap_unlock(&map);
		tlmap_slots_free(map.slots);
	}
	have_map = false;
	memset(keys, 0, sizeof(keys));
}

static struct replay_key *need_key(int id, int lineno)
{
	if (id < 0 || id >= MAX_KEYS || !keys[id].exists) {
		fprintf(stderr, "line %d: no key %d\n", lineno, id);
		exit(2);
	}
	return &keys[id];
}

static void do_set(struct replay_key *k, long value)
{
	struct tlmap_entry *e = calloc(1, sizeof(*e));

	e->key = &k->mk;
	e->value = (void *)(intptr_t)value;
	if (!have_map) {
		tlmap_init(&map, tlmap_slots_alloc(TLMAP_INITIAL_LEN, 0));
		have_map = true;
	}
	tlmap_lock(&map);
	if (tlmap_set(&map, e, NULL)) {
		fprintf(stderr, "tlmap_set failed\n");
		exit(1);
	}
	tlmap_unlock(&map);
}

int main(void)
{
	char line[256], op[32];
	int lineno = 0;

	while (fgets(line, sizeof(line), stdin)) {
		struct tlmap_entry *e;
		unsigned long hash;
		long value;
		int id;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#' ||
		    sscanf(line, "%31s", op) != 1)
			continue;
		printf("%s | ", line);
		if (!strcmp(op, "key") &&
		    sscanf(line, "%*s %d %li", &id, &hash) == 2) {
			if (id < 0 || id >= MAX_KEYS || keys[id].exists) {
				fprintf(stderr, "line %d: bad key\n", lineno);
				return 2;
			}
			keys[id] = (struct replay_key){
				.mk.hash = (u32)hash, .id = id, .exists = true,
			};
			printf("-");
		} else if (!strcmp(op, "set") &&
			   sscanf(line, "%*s %d %ld", &id, &value) == 2) {
			do_set(need_key(id, lineno), value);
			printf("-");
		} else if (!strcmp(op, "get") &&
			   sscanf(line, "%*s %d", &id) == 1) {
			struct replay_key *k = need_key(id, lineno);

			e = NULL;
			if (have_map) {
				tlmap_lock(&map);
				e = tlmap_get_entry(&map, &k->mk);
				tlmap_unlock(&map);
			}
			if (e)
				printf("%ld", entry_value(e));
			else
				printf("none");
		} else if (!strcmp(op, "remove") &&
			   sscanf(line, "%*s %d", &id) == 1) {
			struct replay_key *k = need_key(id, lineno);

			if (have_map) {
				tlmap_lock(&map);
				tlmap_remove(&map, &k->mk);
				tlmap_unlock(&map);
			}
			printf("-");
		} else if (!strcmp(op, "kill") &&
			   sscanf(line, "%*s %d", &id) == 1) {
			need_key(id, lineno)->mk.dead = true;
			printf("-");
		} else if (!strcmp(op, "expunge")) {
			if (have_map) {
				tlmap_lock(&map);
				tlmap_expunge_all(&map);
				tlmap_unlock(&map);
			}
			printf("-");
		} else if (!strcmp(op, "reset")) {
			reset();
			printf("-");
		} else {
			fprintf(stderr, "line %d: cannot parse '%s'\n",
				lineno, line);
			return 2;
		}
		printf(" | ");
		print_state();
	}
	reset();
	return 0;
}
