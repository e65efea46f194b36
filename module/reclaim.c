// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clearing a table from userspace by pid, pidfd or key: the values a
 * task no longer needs (its pool's stale entries, a key's value), removed
 * from outside it, by whoever could ptrace it. The caller's own table
 * without a key is uvalue.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#include "internal.h"

/**
 * tl_reclaim_clear() - TASKLOCAL_IOC_CLEAR of another task, or by key
 * @uc: the request, checked
 * @reply: where @removed goes
 *
 * The rights are checked, and the entries removed, under the target's
 * exec_update_lock: an execve() that makes it privileged comes before or
 * after, never in between. Process context; sleeps.
 *
 * Return: 0, -EFAULT, -ESRCH, -EBADF, -EPERM, -ENOENT or -EINTR.
 */
int tl_reclaim_clear(struct tasklocal_clear *uc,
		     struct tasklocal_clear __user *reply)
{
	struct tasklocal_key *key = NULL;
	struct task_struct *task;
	struct tl_table *t;
	int err = 0;

	uc->removed = 0;
	if (put_user(uc->removed, &reply->removed))
		return -EFAULT;
	task = tl_task_access(uc->flags & TASKLOCAL_CLEAR_PIDFD,
			      uc->flags & TASKLOCAL_CLEAR_PID, uc->target);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* the key and the table stay while RCU is held */
	rcu_read_lock();
	if (uc->flags & TASKLOCAL_CLEAR_KEY) {
		key = tl_key_find_rcu(uc->key_id);
		if (!key || !key->user) {
			err = -ENOENT;
			goto unlock_rcu;
		}
	}
	t = tl_table_find(task);
	if (t)
		uc->removed = tl_table_clear_user(t, key);
unlock_rcu:
	rcu_read_unlock();
	up_read(&task->signal->exec_update_lock);
	put_task_struct(task);
	return err;
}
