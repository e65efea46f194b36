// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fake tasks for the tests of the fork and exit hooks: zeroed
 * task_structs no scheduler knows, which only tasklocal's code touches.
 * Such a child is forked by calling the fork hook with current as its
 * parent, runs the task work queued on it (PREEMPT_RT's fork kits: the
 * child's publishes its table) as on its way to userspace, and exits
 * through the exit hook.
 */
#include <kunit/test.h>
#include <linux/preempt.h>
#include <linux/refcount.h>
#include <linux/sched/task.h>

#include "../module/internal.h"
#include "tasklocal_kunit.h"

/* What @task, fake or not, holds for @key, and whether it holds anything. */
void *tl_task_value(struct task_struct *task, struct tasklocal_key *key,
		    bool *found)
{
	struct tlmap_entry *e = NULL;
	struct tl_table *t;
	void *value = NULL;

	rcu_read_lock();
	t = tl_table_find(task);
	if (t)
		e = tlmap_peek(&t->map, &key->mk);
	if (e)
		value = e->value;
	rcu_read_unlock();
	*found = e;
	return value;
}

/* Make zeroed @task a fake task. */
void tl_fake_task_init(struct task_struct *task)
{
	/* the exit hook pins it on PREEMPT_RT: never the last reference */
	refcount_set(&task->usage, 1);
}

/* Run the task work queued on @task, as on its way to userspace. */
void tl_fake_task_resume(struct task_struct *task)
{
	struct callback_head *work, *next;

	for (work = xchg(&task->task_works, NULL); work; work = next) {
		next = work->next;
		work->func(work);
	}
}

/*
 * Fork @child from current, as the sched_process_fork tracepoint does
 * (preemption disabled), and let it run.
 */
void tl_fake_task_fork(struct task_struct *child)
{
	preempt_disable();
	tl_table_task_fork(current, child);
	preempt_enable();
	tl_fake_task_resume(child);
}

/*
 * @task exits, as at the sched_process_exit tracepoint. Its table is
 * released, and @task may be freed, after tl_tables_flush().
 */
void tl_fake_task_exit(struct task_struct *task)
{
	tl_fake_task_resume(task);
	preempt_disable();
	tl_table_task_exit(task);
	preempt_enable();
}
