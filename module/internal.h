/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tasklocal internals shared between the module's files.
 */
#ifndef _TASKLOCAL_INTERNAL_H
#define _TASKLOCAL_INTERNAL_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/uidgid.h>
#include <linux/rhashtable-types.h>
#include <linux/seqlock.h>
#include <linux/tasklocal.h>
#include <kunit/visibility.h>

#include "map.h"

struct tasklocal_key;

/*
 * What a key's maker does at its key's milestones (userspace keys: ukey.c;
 * NULL for kernel keys), so that key.c calls no user of keys by name.
 * @released: the last strong reference went; process context
 * @freed: the key's memory is about to go; any context
 * @info: fill in what the maker knows of the key for KEY_LIST
 */
struct tl_key_owner_ops {
	void (*released)(struct tasklocal_key *key);
	void (*freed)(struct tasklocal_key *key);
	void (*info)(struct tasklocal_key *key,
		     struct tasklocal_key_info *info);
};

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
	const struct tl_key_owner_ops *owner;	/* or NULL */
	void *data;
	u32 id;
	bool user;			/* a struct tl_ukey: made by userspace */
	bool inherit;			/* children get a copy of its values */
	unsigned long state;		/* TL_KEY_* bits */
	atomic64_t death_time;		/* CLOCK_BOOTTIME ns, 0 alive */
	struct rcu_head rcu;
};

/*
 * struct tasklocal_key's state bits. A death is counted once, always;
 * it is announced (to the sweeper) once, unless tasklocal_key_destroy()
 * set that bit first: it removes the entries itself.
 */
#define TL_KEY_DEATH_ANNOUNCED	0
#define TL_KEY_DEATH_COUNTED	1

/*
 * A value set from userspace: immutable bytes, shared by reference (the
 * entries of a task and of its children, a key's initial value, a reader
 * copying it out).
 */
struct tl_value {
	refcount_t ref;
	u32 len;
	struct rcu_head rcu;
	u8 data[];
};

/* A key created from userspace. */
struct tl_ukey {
	struct tasklocal_key key;	/* first: freed through it */
	struct list_head node;		/* in tl_ukeys while alive */
	struct rhash_head name_node;	/* in tl_ukey_names while alive */
	kuid_t uid;			/* owner */
	u32 flags;			/* TASKLOCAL_KEY_INHERIT, _FD, _MODE */
	u32 mode;			/* TASKLOCAL_PERM_*: others' rights */
	struct tl_value *initial;	/* or NULL */
	char name[TASKLOCAL_NAME_MAX];	/* "" for anonymous keys */
};

static inline struct tl_ukey *tl_ukey_of(struct tasklocal_key *key)
{
	return key->user ? container_of(key, struct tl_ukey, key) : NULL;
}

/* One task's table, found by task in the registry. */
struct tl_table {
	struct rhash_head node;
	struct task_struct *task;	/* registry key; not a reference */
	pid_t pid;
	bool dead;			/* emptied for good: exit or unload */
	/* PREEMPT_RT: its task exited; in the registry, pinning the task,
	 * until tl_release_work unlinks it
	 */
	bool exited;
	bool inherit;			/* has held an inheritable entry */
	struct tl_fork_kit *kit;	/* PREEMPT_RT: for the next fork */
	struct callback_head *exec_work; /* for a secure exec; see exec.c */
	struct tlmap map;		/* map.seq lets others snapshot it */
	struct llist_node free_node;	/* unlinked at exit, to release */
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
int tl_key_init(struct tasklocal_key *key, const struct tasklocal_key_ops *ops,
		void *data);
void tl_key_weak_get(struct tasklocal_key *key);
void tl_key_weak_put(struct tasklocal_key *key);
void tl_key_kill(struct tasklocal_key *key);
struct notifier_block;
void tl_key_death_register(struct notifier_block *nb);
void tl_key_death_unregister(struct notifier_block *nb);
struct tasklocal_key *tl_key_find_rcu(u64 id);
struct tasklocal_key *tl_key_get_by_id(u64 id);
void tl_keys_count(u64 *alive, u64 *dead);
void tl_key_info(struct tasklocal_key *key, struct tasklocal_key_info *info);
u32 tl_keys_list(struct tasklocal_key_info *info, u32 room, u64 start_id,
		 u64 *next_id, u32 *total);

/* api.c */
#define TL_SET_LIMITED	BIT(31)		/* max_entries applies */
void *tl_get_current(struct tasklocal_key *key, bool *found);
int tl_set(struct tasklocal_key *key, void *value, gfp_t gfp, u32 flags);

static inline struct tl_value *tl_value_get(struct tl_value *v)
{
	refcount_inc(&v->ref);
	return v;
}

/* ukey.c: keys and values from userspace */
struct tl_value *tl_value_alloc(const void __user *src, u32 len);
void tl_value_put(struct tl_value *v);
int tl_ukey_create(struct tasklocal_key_create *kc,
		   struct tasklocal_key_create __user *reply);
int tl_ukey_delete(u64 id);
int tl_ukey_find(const char *name, struct tasklocal_key_info *info);
struct tl_ukey *tl_ukey_get(u64 id);
bool tl_ukey_may(struct tl_ukey *uk, u32 perm);
int tl_ukeys_init(void);
void tl_ukeys_exit(void);

/* uvalue.c: the caller's own table, from userspace */
int tl_uvalue_set(struct tasklocal_value *uv);
int tl_uvalue_get(struct tasklocal_value *uv,
		  struct tasklocal_value __user *reply);
int tl_uvalue_remove(struct tasklocal_value *uv);
int tl_uvalue_clear(struct tasklocal_clear *uc,
		    struct tasklocal_clear __user *reply);

/* inspect.c: other tasks' tables */
struct task_struct *tl_task_access(bool pidfd, bool pid, s32 target);
int tl_inspect_dump(struct tasklocal_table_dump *d);
int tl_inspect_list(struct tasklocal_table_list *l);

/* reclaim.c: clearing any task's table from userspace */
int tl_reclaim_clear(struct tasklocal_clear *uc,
		     struct tasklocal_clear __user *reply);

/* stats.c */
struct tl_stats {
	atomic_long_t tables;
	atomic_long_t entries;
	atomic_long_t value_bytes;
	atomic_long_t user_keys;
	atomic_long_t tables_created;
	atomic_long_t tables_unlinked;	/* left the registry: a walk may miss */
	atomic64_t expunged;		/* of tables freed so far */
	atomic64_t resizes;		/* of tables freed so far */
	atomic64_t swept;		/* stale entries the sweeper removed */
	atomic64_t inherit_failed;	/* child() gave a child no value */
};

extern struct tl_stats tl_stats;
void tl_stats_table_freed(struct tl_table *t);
int tl_stats_read(struct tasklocal_stats *st);

/* entry.c */
void tl_entry_init(struct tlmap_entry *e, struct tasklocal_key *key,
		   void *value);
struct tlmap_entry *
tl_entry_alloc(struct tasklocal_key *key, void *value, gfp_t gfp);
void tl_entry_fini(struct tlmap_entry *e);
void tl_entry_free_unused(struct tlmap_entry *e);

/* table.c */
int tl_tables_init(void);
void tl_tables_exit(void);
struct tl_table *tl_table_find(struct task_struct *task);
struct tl_table *tl_table_current(void);
struct tl_table *tl_table_create(struct task_struct *task, unsigned int len,
				 gfp_t gfp);
int tl_table_publish(struct tl_table *t);
int tl_tables_walk(int (*fn)(struct tl_table *t, void *arg), void *arg,
		   bool may_yield);
void tl_table_lock(struct tl_table *t) __acquires(&t->map.lock);
void tl_table_unlock(struct tl_table *t) __releases(&t->map.lock);
void tl_tables_remove_key(struct tasklocal_key *key);
void tl_table_release(struct tl_table *t);
unsigned int tl_table_clear_user(struct tl_table *t, struct tasklocal_key *key);
void tl_table_task_exit(struct task_struct *task);
void tl_tables_flush(void);

/* fork.c: inheritance */
struct tl_fork_kit;
void tl_table_task_fork(struct task_struct *parent,
			struct task_struct *child);
void tl_fork_prepare(struct tl_table *t, gfp_t gfp);
void tl_fork_kit_free(struct tl_fork_kit *kit);
void tl_fork_exit(void);

/* exec.c: secure exec */
void tl_table_task_exec(struct task_struct *task);
void tl_exec_exit(void);

/* sweep.c: dead keys' entries removed from every table */
extern unsigned int tl_sweep_delay_ms;
void tl_sweep_init(void);
void tl_sweep_exit(void);
void tl_sweep_flush(void);

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
