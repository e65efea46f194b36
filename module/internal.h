/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tasklocal internals shared between the module's files.
 */
#ifndef _TASKLOCAL_INTERNAL_H
#define _TASKLOCAL_INTERNAL_H

#include <linux/kref.h>
#include <linux/rhashtable-types.h>
#include <linux/seqlock.h>
#include <linux/tasklocal.h>
#include <kunit/visibility.h>

#include "map.h"

/*
 * A key. @strong counts who keeps it alive; when it drops to zero the key
 * is dead and its entries stale. @weak counts the entries pointing at it,
 * plus one while it is alive; the memory goes when @weak drops to zero.
 */
struct tasklocal_key {
	struct tlmap_key mk;		/* hash and dead flag, what maps see */
	struct kref strong;
	struct kref weak;
	const struct tasklocal_key_ops *ops;
	void *data;
	u32 id;
	struct rcu_head rcu;
};

/* One task's table, found by task in the registry. */
struct tl_table {
	struct rhash_head node;
	struct task_struct *task;	/* registry key; not a reference */
	pid_t pid;
	bool dead;			/* freed by exit hook or unload */
	seqcount_spinlock_t seq;	/* lets other tasks snapshot the map */
	struct tlmap map;
	struct rcu_head rcu;
};

static inline struct tasklocal_key *tl_key_of(const struct tlmap_key *mk)
{
	return container_of((struct tlmap_key *)mk, struct tasklocal_key, mk);
}

/* key.c */
int tl_keys_init(void);
void tl_keys_exit(void);
struct tasklocal_key *
tl_key_alloc(const struct tasklocal_key_ops *ops, void *data, u32 hash);
void tl_key_weak_get(struct tasklocal_key *key);
void tl_key_weak_put(struct tasklocal_key *key);
void tl_key_kill(struct tasklocal_key *key);

/* entry.c */
struct tlmap_entry *
tl_entry_alloc(struct tasklocal_key *key, void *value, gfp_t gfp);
void tl_entry_free_unused(struct tlmap_entry *e);

/* table.c */
int tl_tables_init(void);
void tl_tables_exit(void);
struct tl_table *tl_table_find(struct task_struct *task);
struct tl_table *tl_table_current_create(gfp_t gfp);
void tl_table_lock(struct tl_table *t);
void tl_table_unlock(struct tl_table *t);
void tl_tables_remove_key(struct tasklocal_key *key);
void tl_table_release(struct tl_table *t);
void tl_table_task_exit(struct task_struct *task);

/* hooks.c */
int tl_hooks_register(void);
void tl_hooks_unregister(void);

/* dev.c */
int tl_dev_register(void);
void tl_dev_unregister(void);

/* main.c: limits, module parameters */
extern unsigned int tl_max_value_size;
extern unsigned int tl_max_entries;
extern unsigned int tl_max_user_keys;
extern unsigned int tl_max_keys;

#endif /* _TASKLOCAL_INTERNAL_H */
