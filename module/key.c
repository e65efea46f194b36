// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keys: a strong count (who keeps the key alive) and a weak count (the
 * entries pointing at it). A key whose strong count drops to zero is dead:
 * its entries turn stale. Its memory lives on until the last entry is
 * gone, then goes after an RCU grace period, since lock-free readers may
 * still be looking at an entry's key.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include "internal.h"

/* ThreadLocal.nextHashCode: successive keys spread over a power of two. */
static atomic_t tl_next_hash = ATOMIC_INIT(0);

/*
 * Keys by id, live and dead (until freed). Ids are allocated cyclically,
 * as BPF's are, so that a stale id names no key for a long time, rather
 * than the next key created.
 */
static DEFINE_XARRAY_ALLOC1(tl_keys);
static u32 tl_keys_next_id;
/* counted, not walked, for KEY_LIST and STATS: in tl_keys, and dead */
static atomic_long_t tl_keys_listed = ATOMIC_LONG_INIT(0);
static atomic_long_t tl_keys_dead = ATOMIC_LONG_INIT(0);

/* Keys stay listed (by id) until freed: dead keys with entries left. */
static void tl_key_weak_release(struct kref *weak)
{
	struct tasklocal_key *key = container_of(weak, struct tasklocal_key,
						 weak);

	xa_erase(&tl_keys, key->id);
	atomic_long_dec(&tl_keys_listed);
	/* its strong release killed it, before the last weak put */
	if (!WARN_ON_ONCE(!test_bit(TL_KEY_DEATH_COUNTED, &key->state)))
		atomic_long_dec(&tl_keys_dead);
	if (key->owner)
		key->owner->freed(key);
	kfree_rcu(key, rcu);
}

void tl_key_weak_get(struct tasklocal_key *key)
{
	kref_get(&key->weak);
}

void tl_key_weak_put(struct tasklocal_key *key)
{
	kref_put(&key->weak, tl_key_weak_release);
}

/*
 * Who hears of a key's death (the sweeper): called once per key, with the
 * key as data, in the context of the call that killed it (any task
 * context, atomic included; see tasklocal_key_put()).
 */
static ATOMIC_NOTIFIER_HEAD(tl_key_deaths);

void tl_key_death_register(struct notifier_block *nb)
{
	atomic_notifier_chain_register(&tl_key_deaths, nb);
}

void tl_key_death_unregister(struct notifier_block *nb)
{
	atomic_notifier_chain_unregister(&tl_key_deaths, nb);
}

/**
 * tl_key_kill() - mark a key dead: from now on its entries are stale
 * @key: the key
 *
 * Idempotent: the death is announced once. Safe in any task context.
 */
void tl_key_kill(struct tasklocal_key *key)
{
	/* the first kill's time: a later one finds it set */
	if (!atomic64_read(&key->death_time))
		atomic64_cmpxchg(&key->death_time, 0, ktime_get_boottime_ns());
	/* orders the time before the flag, for tl_key_info() */
	smp_store_release(&key->mk.dead, true);
	if (!test_and_set_bit(TL_KEY_DEATH_COUNTED, &key->state))
		atomic_long_inc(&tl_keys_dead);
	if (!test_and_set_bit(TL_KEY_DEATH_ANNOUNCED, &key->state))
		atomic_notifier_call_chain(&tl_key_deaths, 0, key);
}
EXPORT_SYMBOL_IF_KUNIT(tl_key_kill);

static void tl_key_strong_release(struct kref *strong)
{
	struct tasklocal_key *key = container_of(strong, struct tasklocal_key,
						 strong);

	tl_key_kill(key);
	if (key->owner)
		key->owner->released(key);
	tl_key_weak_put(key);	/* the reference held while alive */
}

/*
 * tl_key_alloc() - create a key with a given hash. Tests use it to lay
 * out tables slot by slot; everyone else goes through
 * tasklocal_key_create(), which takes the next hash in sequence.
 */
struct tasklocal_key *
tl_key_alloc(const struct tasklocal_key_ops *ops, void *data, u32 hash)
{
	struct tasklocal_key *key = tasklocal_key_create(ops, data);

	if (!IS_ERR(key))
		key->mk.hash = hash;
	return key;
}
EXPORT_SYMBOL_IF_KUNIT(tl_key_alloc);

/**
 * tl_key_init() - set up a zeroed key: one strong reference, next hash
 * @key: the key, embedded or not
 * @ops: its ops, or NULL
 * @data: for the ops
 *
 * The key's hash is the next in the sequence Java's ThreadLocal uses
 * (ThreadLocal.nextHashCode(): a counter advanced by 0x61c88647), so that
 * consecutive keys spread evenly over a table.
 *
 * Return: 0, -ENOMEM, or -ENOSPC (every id is taken).
 */
int tl_key_init(struct tasklocal_key *key, const struct tasklocal_key_ops *ops,
		void *data)
{
	int err;

	kref_init(&key->strong);
	kref_init(&key->weak);
	key->ops = ops;
	key->data = data;
	/* complete before it is published: a SET by id may find it at once */
	key->mk.hash = atomic_fetch_add(TLMAP_HASH_INCREMENT, &tl_next_hash);
	/* counted first: a KEY_LIST's total is never below what it lists */
	atomic_long_inc(&tl_keys_listed);
	err = xa_alloc_cyclic(&tl_keys, &key->id, key, xa_limit_31b,
			      &tl_keys_next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		atomic_long_dec(&tl_keys_listed);
		/* -EBUSY: every 31-bit id is taken */
		return err == -EBUSY ? -ENOSPC : err;
	}
	return 0;
}

/**
 * tl_key_find_rcu() - a key by id, live or dead, without a reference
 * @id: the id
 *
 * Call under rcu_read_lock(); the key's memory stays until it ends.
 *
 * Return: the key, or NULL.
 */
struct tasklocal_key *tl_key_find_rcu(u64 id)
{
	return id > U32_MAX ? NULL : xa_load(&tl_keys, id);
}

/**
 * tl_key_get_by_id() - a strong reference to a live key, by id
 * @id: the id
 *
 * A key killed (deleted, its fd closed) is refused even while calls
 * that found it earlier still hold references: once the call that
 * killed it has returned, no later call can reach it.
 *
 * Return: the key, or NULL if there is no live key with that id.
 */
struct tasklocal_key *tl_key_get_by_id(u64 id)
{
	struct tasklocal_key *key;

	rcu_read_lock();
	key = tl_key_find_rcu(id);
	if (key && (tlmap_key_dead(&key->mk) ||
		    !kref_get_unless_zero(&key->strong)))
		key = NULL;
	rcu_read_unlock();
	if (key && tlmap_key_dead(&key->mk)) {
		tasklocal_key_put(key);
		key = NULL;
	}
	return key;
}

/**
 * tl_key_info() - describe a key, as TASKLOCAL_IOC_KEY_LIST does
 * @key: the key, whose memory the caller keeps (RCU, or a reference)
 * @info: filled in
 */
void tl_key_info(struct tasklocal_key *key, struct tasklocal_key_info *info)
{
	bool dead = tlmap_key_dead(&key->mk);

	memset(info, 0, sizeof(*info));
	info->id = key->id;
	info->hash = key->mk.hash;
	info->entries = kref_read(&key->weak) - (dead ? 0 : 1);
	if (dead) {
		u64 t;

		info->flags |= TASKLOCAL_KEY_DEAD;
		smp_rmb();	/* pairs with tl_key_kill()'s store release */
		t = atomic64_read(&key->death_time);
		/* in the caller's time namespace; never 0, "alive" */
		info->death_time = max_t(s64, 1, timens_add_boottime_ns(t));
	}
	if (key->owner)
		key->owner->info(key, info);
	else
		info->flags |= TASKLOCAL_KEY_KERNEL;
}

/**
 * tl_keys_list() - describe keys in id order
 * @info: where to
 * @room: how many fit there
 * @start_id: the first id to consider
 * @next_id: set to the id to continue from, or 0 when all were listed
 * @total: set to the number of keys there are
 *
 * Costs what the page costs, not what all keys do: the walk starts at
 * @start_id and stops after @room keys and one more.
 *
 * Return: how many were described.
 */
u32 tl_keys_list(struct tasklocal_key_info *info, u32 room, u64 start_id,
		 u64 *next_id, u32 *total)
{
	struct tasklocal_key *key;
	unsigned long id;
	u32 n = 0;

	*next_id = 0;
	/* ids are 31 bits: the count fits */
	*total = max(atomic_long_read(&tl_keys_listed), 0L);
	if (start_id > U32_MAX)
		return 0;
	rcu_read_lock();
	xa_for_each_start(&tl_keys, id, key, start_id) {
		if (n == room) {
			*next_id = id;
			break;
		}
		tl_key_info(key, &info[n++]);
	}
	rcu_read_unlock();
	return n;
}

/**
 * tasklocal_key_create() - create a key
 * @ops: what to do with the key's values, or NULL (values are then
 *	plain data, never destroyed)
 * @data: anything, for the caller (see tasklocal_key_data())
 *
 * The key's hash is the next in the sequence Java's ThreadLocal uses
 * (a counter advanced by 0x61c88647), so consecutive keys spread evenly
 * over a table. Process context; may sleep.
 *
 * Return: the key, holding one strong reference, ERR_PTR(-ENOMEM), or
 * ERR_PTR(-ENOSPC) when every id is taken.
 */
struct tasklocal_key *tasklocal_key_create(const struct tasklocal_key_ops *ops,
					   void *data)
{
	struct tasklocal_key *key = kzalloc(sizeof(*key), GFP_KERNEL);
	int err;

	if (!key)
		return ERR_PTR(-ENOMEM);
	err = tl_key_init(key, ops, data);
	if (err) {
		kfree(key);
		return ERR_PTR(err);
	}
	return key;
}
EXPORT_SYMBOL_GPL(tasklocal_key_create);

/**
 * tasklocal_key_create_inheritable() - create a key children inherit
 * @ops: what to do with the key's values; @ops->child is required
 * @data: anything, for the caller (see tasklocal_key_data())
 *
 * As tasklocal_key_create(), and at each fork the child gets, for each
 * value of the key its parent holds, the value @ops->child makes of it.
 * Process context; may sleep.
 *
 * Return: the key, holding one strong reference, ERR_PTR(-EINVAL) if
 * @ops has no child(), or ERR_PTR(-ENOMEM).
 */
struct tasklocal_key *
tasklocal_key_create_inheritable(const struct tasklocal_key_ops *ops,
				 void *data)
{
	struct tasklocal_key *key;

	if (!ops || !ops->child)
		return ERR_PTR(-EINVAL);
	key = tasklocal_key_create(ops, data);
	if (!IS_ERR(key))
		key->inherit = true;
	return key;
}
EXPORT_SYMBOL_GPL(tasklocal_key_create_inheritable);

/**
 * tasklocal_key_data() - the data pointer given at creation
 * @key: the key
 *
 * Return: the pointer.
 */
void *tasklocal_key_data(const struct tasklocal_key *key)
{
	return key->data;
}
EXPORT_SYMBOL_GPL(tasklocal_key_data);

/**
 * tasklocal_key_hash() - the key's hash
 * @key: the key
 *
 * Return: the hash; its low bits are the key's home slot in a table.
 */
u32 tasklocal_key_hash(const struct tasklocal_key *key)
{
	return key->mk.hash;
}
EXPORT_SYMBOL_GPL(tasklocal_key_hash);

/**
 * tasklocal_key_put() - drop a strong reference to a key
 * @key: the key
 *
 * On the last one the key dies: every task's entry for it becomes stale
 * and is expunged, its value destroyed, by the sweeper (sweep_delay_ms
 * later), or as that task's table is next used or the task exits,
 * whichever comes first. The key's ops must stay valid until then; a
 * module that will unload uses tasklocal_key_destroy() instead.
 *
 * Context: task context, atomic included (a spinlock held, preemption
 * off), but not interrupts, hard or soft: the last put may take the key
 * registry's lock, which is not irq-safe. Keys made from userspace are
 * the module's own: their last put takes a mutex.
 */
void tasklocal_key_put(struct tasklocal_key *key)
{
	WARN_ON_ONCE(in_interrupt());
	kref_put(&key->strong, tl_key_strong_release);
}
EXPORT_SYMBOL_GPL(tasklocal_key_put);

/* How many keys are alive, and dead with entries left. */
void tl_keys_count(u64 *alive, u64 *dead)
{
	long listed = atomic_long_read(&tl_keys_listed);
	long dead_keys = atomic_long_read(&tl_keys_dead);

	/* read apart: a key may die, or be freed, between the two reads */
	*dead = clamp(dead_keys, 0L, listed);
	*alive = listed - *dead;
}
EXPORT_SYMBOL_IF_KUNIT(tl_keys_count);

int tl_keys_init(void)
{
	return 0;
}

void tl_keys_exit(void)
{
	WARN_ON_ONCE(!xa_empty(&tl_keys));
	xa_destroy(&tl_keys);
}
