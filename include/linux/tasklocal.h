/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tasklocal: per-task locals for kernel code.
 *
 * A key names one local; each task holds its own value for it, in a table
 * that hangs off the task and is freed when the task exits. Tables hold
 * keys weakly: once a key is released its entries are stale and are
 * expunged (their values destroyed) by the sweeper, a moment later, or as
 * tables are used, or at once by tasklocal_key_destroy(). A key made with
 * tasklocal_key_create_inheritable() gives each new child of a task a
 * value of its own, made by the key's child() op from the parent's.
 *
 *	static const struct tasklocal_key_ops ops = {
 *		.destroy = my_value_free,
 *	};
 *	key = tasklocal_key_create(&ops, NULL);
 *	tasklocal_set(key, v, GFP_KERNEL);	// current task only
 *	v = tasklocal_get(key);
 *	...
 *	tasklocal_key_destroy(key);		// before module unload
 */
#ifndef _LINUX_TASKLOCAL_H
#define _LINUX_TASKLOCAL_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <uapi/linux/tasklocal.h>

struct tasklocal_key;

/**
 * struct tasklocal_key_ops - what a key does with its values
 * @initial: value tasklocal_get() stores and returns when the task has
 *	none (Java's initialValue()); NULL or an ERR_PTR() are allowed
 *	returns. Called in process context; may sleep.
 * @destroy: release one value (never NULL ones). Called exactly once per
 *	value: on remove, on replace, on stale expunge, after task exit and
 *	by tasklocal_key_destroy(). It may be called by any task, or a
 *	worker, not only the value's: once the key is dead, the sweeper
 *	or another task clearing the table (userspace keys) may destroy it
 *	at any time, so a value got with tasklocal_get() is used only while
 *	the key is kept alive. Called in atomic context (RCU held, maybe
 *	preemption off): it must not sleep.
 * @child: for an inheritable key (tasklocal_key_create_inheritable()),
 *	the value a new child gets from its parent's @value; NULL or an
 *	ERR_PTR() give the child no value (counted: the stats'
 *	inherit_failed). Called from the fork hook, preemption disabled: it
 *	must not sleep. Parent and child values are destroyed apart.
 */
struct tasklocal_key_ops {
	void *(*initial)(struct tasklocal_key *key);
	void (*destroy)(struct tasklocal_key *key, void *value);
	void *(*child)(struct tasklocal_key *key, void *value);
};

struct tasklocal_key *tasklocal_key_create(const struct tasklocal_key_ops *ops,
					   void *data);
struct tasklocal_key *
tasklocal_key_create_inheritable(const struct tasklocal_key_ops *ops,
				 void *data);
void *tasklocal_key_data(const struct tasklocal_key *key);
u32 tasklocal_key_hash(const struct tasklocal_key *key);
void tasklocal_key_put(struct tasklocal_key *key);
void tasklocal_key_destroy(struct tasklocal_key *key);

void *tasklocal_get(struct tasklocal_key *key);
int tasklocal_set(struct tasklocal_key *key, void *value, gfp_t gfp);
bool tasklocal_remove(struct tasklocal_key *key);

#endif /* _LINUX_TASKLOCAL_H */
