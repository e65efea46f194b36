// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entries and slot arrays: allocation, and release once a map lets go of
 * them. Everything a map drops is freed after an RCU grace period, since
 * lock-free readers (the owner's get, other tasks' inspection) may still
 * be looking at it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "internal.h"

/* Make @e, allocated but unused, an entry for @key holding a weak reference. */
void tl_entry_init(struct tlmap_entry *e, struct tasklocal_key *key,
		   void *value)
{
	e->key = &key->mk;
	e->value = value;
	tl_key_weak_get(key);
	atomic_long_inc(&tl_stats.entries);
}

/*
 * tl_entry_alloc() - a new entry for @key, holding a weak reference to it
 */
struct tlmap_entry *
tl_entry_alloc(struct tasklocal_key *key, void *value, gfp_t gfp)
{
	struct tlmap_entry *e = kmalloc(sizeof(*e), gfp);

	if (e)
		tl_entry_init(e, key, value);
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(tl_entry_alloc);

/* Undo tl_entry_init() of an entry no map ever held: raw memory again. */
void tl_entry_fini(struct tlmap_entry *e)
{
	tl_key_weak_put(tl_key_of(e->key));
	atomic_long_dec(&tl_stats.entries);
}

/* Free an entry no map ever held; its value stays the caller's. */
void tl_entry_free_unused(struct tlmap_entry *e)
{
	tl_entry_fini(e);
	kfree(e);
}

/*
 * The map let go of @e (its lock no longer held): destroy its value,
 * drop its weak reference.
 */
void tlmap_entry_release(struct tlmap *map, struct tlmap_entry *e)
{
	struct tasklocal_key *key = tl_key_of(e->key);

	if (e->value && key->ops && key->ops->destroy)
		key->ops->destroy(key, e->value);
	tl_key_weak_put(key);
	atomic_long_dec(&tl_stats.entries);
	kfree_rcu(e, rcu);
}

struct tlmap_slots *tlmap_slots_alloc(unsigned int len, gfp_t gfp)
{
	struct tlmap_slots *s = kmalloc(sizeof(*s), gfp);

	if (!s)
		return NULL;
	s->slot = kvcalloc(len, sizeof(*s->slot), gfp);
	if (!s->slot) {
		kfree(s);
		return NULL;
	}
	s->len = len;
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_slots_alloc);

void tlmap_slots_free(struct tlmap_slots *s)
{
	kvfree(s->slot);
	kfree(s);
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_slots_free);

static void tl_slots_free_rcu(struct rcu_head *rcu)
{
	tlmap_slots_free(container_of(rcu, struct tlmap_slots, rcu));
}

/* The module's exit waits for these callbacks (rcu_barrier()). */
void tlmap_slots_retire(struct tlmap_slots *s)
{
	call_rcu(&s->rcu, tl_slots_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(tlmap_slots_retire);
