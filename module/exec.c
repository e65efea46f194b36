// SPDX-License-Identifier: GPL-2.0-only
/*
 * Secure exec: a program that gains privilege at execve() (setuid,
 * setgid, file capabilities, an LSM transition: bprm->secureexec, what
 * the dynamic loader sees as AT_SECURE) starts with no userspace value
 * in its table. Those were set by the less privileged program before it,
 * or inherited from that program's parent: planted, as far as the new
 * program can tell, so it must not read them. Kernel code's values stay.
 *
 * The sched_process_exec probe runs with preemption disabled, where
 * values may not be destroyed; it queues the clearing as task work,
 * which runs before the new program's first instruction. The work's
 * memory comes with the table (tl_table_create()), so the probe needs
 * no allocation and cannot fail: two secure execs always have a return
 * to userspace between them, where the work runs and gives it back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait_bit.h>

#include "internal.h"

/* Clearing work queued and not yet run: unload waits for it. */
static atomic_t tl_exec_works_queued = ATOMIC_INIT(0);

static void tl_exec_work_done(void)
{
	if (atomic_dec_and_test(&tl_exec_works_queued))
		wake_up_var(&tl_exec_works_queued);
}

/* Task work, in the task that made a secure exec. */
static void tl_exec_clear_fn(struct callback_head *work)
{
	struct tl_table *t;

	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	/*
	 * Only this task frees its table, at its exit, after which t is
	 * NULL here (the work then runs from exit_task_work()); unload
	 * waits for this work. So t stays valid outside RCU.
	 */
	if (t) {
		tl_table_clear_user(t, NULL);
		/* the table's again, for its next secure exec */
		if (!cmpxchg(&t->exec_work, NULL, work))
			work = NULL;
	}
	kfree(work);
	/* unload waits for the count, then for RCU: this is not left yet */
	rcu_read_lock();
	tl_exec_work_done();
	rcu_read_unlock();
}

/**
 * tl_table_task_exec() - a task made an execve() that raised privilege
 * @task: the task (current)
 *
 * Called from the sched_process_exec tracepoint, preemption disabled.
 */
void tl_table_task_exec(struct task_struct *task)
{
	struct callback_head *work = NULL;
	struct tl_table *t;

	rcu_read_lock();
	t = tl_table_find(task);
	if (t)
		work = xchg(&t->exec_work, NULL);
	rcu_read_unlock();
	if (!t || WARN_ON_ONCE(!work))
		return;
	atomic_inc(&tl_exec_works_queued);
	init_task_work(work, tl_exec_clear_fn);
	/* fails only once the task is past exit_task_work() */
	if (WARN_ON_ONCE(task_work_add(task, work, TWA_RESUME))) {
		tl_exec_work_done();
		kfree(work);
	}
}
EXPORT_SYMBOL_IF_KUNIT(tl_table_task_exec);

/**
 * tl_exec_exit() - module unload: wait for queued clearing work
 *
 * The hooks are off: none is queued any more, and the ones queued run on
 * their tasks' way back to userspace from execve(), or at their exit.
 */
void tl_exec_exit(void)
{
	wait_var_event(&tl_exec_works_queued,
		       !atomic_read(&tl_exec_works_queued));
	/* the last works may still be returning from their last lines */
	synchronize_rcu();
}
