// SPDX-License-Identifier: GPL-2.0-only
/*
 * What module/map.c expects its user to provide, for native builds:
 * slot arrays and entries from the C library, freed at once (there are
 * no concurrent readers here, and ASan then catches any late access).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../../module/map.h"

static void *zalloc_or_die(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

struct tlmap_slots *tlmap_slots_alloc(unsigned int len, gfp_t gfp)
{
	struct tlmap_slots *s = zalloc_or_die(1, sizeof(*s));

	(void)gfp;
	s->slot = zalloc_or_die(len, sizeof(*s->slot));
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
	tlmap_slots_free(s);
}

void tlmap_entry_release(struct tlmap *map, struct tlmap_entry *e)
{
	(void)map;
	free(e);
}
