// SPDX-License-Identifier: GPL-2.0-only
/*
 * Task lifetime hooks. Tracepoints are not exported to modules by name,
 * so sched_process_exit (free the task's table), sched_process_fork
 * (hand inheritable values to the child) and sched_process_exec (clear
 * userspace values at a secure exec) are looked up among the kernel's
 * tracepoints and probes attached to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "internal.h"

/* Runs in do_exit() after PF_EXITING is set, preemption disabled. */
static void tl_probe_exit(void *data, struct task_struct *task)
{
	tl_table_task_exit(task);
}

/* Runs in execve() once the new program is loaded, preemption disabled. */
static void tl_probe_exec(void *data, struct task_struct *task, pid_t old_pid,
			  struct linux_binprm *bprm)
{
	if (bprm->secureexec)
		tl_table_task_exec(task);
}

/* Runs in the parent after copy_process(), before the child first runs. */
static void tl_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	tl_table_task_fork(parent, child);
}

static struct tl_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool attached;
} tl_hooks[] = {
	{ "sched_process_exit", tl_probe_exit },
	{ "sched_process_fork", tl_probe_fork },
	{ "sched_process_exec", tl_probe_exec },
};

static void tl_find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(tl_hooks); i++)
		if (!strcmp(tp->name, tl_hooks[i].name))
			tl_hooks[i].tp = tp;
}

int tl_hooks_register(void)
{
	int i, err;

	for_each_kernel_tracepoint(tl_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(tl_hooks); i++) {
		struct tl_hook *h = &tl_hooks[i];

		if (!h->tp) {
			pr_err("tracepoint %s not found\n", h->name);
			err = -ENOENT;
			goto unregister;
		}
		err = tracepoint_probe_register(h->tp, h->probe, NULL);
		if (err) {
			pr_err("cannot attach to %s: %d\n", h->name, err);
			goto unregister;
		}
		h->attached = true;
	}
	return 0;

unregister:
	tl_hooks_unregister();
	return err;
}

void tl_hooks_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(tl_hooks) - 1; i >= 0; i--) {
		if (tl_hooks[i].attached)
			tracepoint_probe_unregister(tl_hooks[i].tp,
						    tl_hooks[i].probe, NULL);
		tl_hooks[i].attached = false;
	}
	/* No probe may still be running once this returns. */
	tracepoint_synchronize_unregister();
}
