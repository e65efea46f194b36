// SPDX-License-Identifier: GPL-2.0-only
/*
 * Task lifetime hooks. Tracepoints are not exported to modules by name,
 * so the sched_process_exit tracepoint is looked up among the kernel's
 * and a probe attached to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "internal.h"

static struct tracepoint *tl_tp_exit;

/* Runs in do_exit() after PF_EXITING is set, preemption disabled. */
static void tl_probe_exit(void *data, struct task_struct *task)
{
	tl_table_task_exit(task);
}

static void tl_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		tl_tp_exit = tp;
}

int tl_hooks_register(void)
{
	int err;

	for_each_kernel_tracepoint(tl_find_tracepoint, NULL);
	if (!tl_tp_exit) {
		pr_err("tracepoint sched_process_exit not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(tl_tp_exit, tl_probe_exit, NULL);
	if (err)
		pr_err("cannot attach to sched_process_exit: %d\n", err);
	return err;
}

void tl_hooks_unregister(void)
{
	tracepoint_probe_unregister(tl_tp_exit, tl_probe_exit, NULL);
	/* No probe may still be running once this returns. */
	tracepoint_synchronize_unregister();
}
