// SPDX-License-Identifier: GPL-2.0-only
/*
 * tasklocal: per-task locals. Module setup, teardown and limits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kstrtox.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>

#include "internal.h"

/*
 * Values are copied in whole by SET and out whole by GET and TABLE_DUMP,
 * and a task may hold max_entries of them: 1 MiB keeps each copy short.
 * Values larger than a page come from vmalloc, page by page.
 */
#define TL_MAX_VALUE_SIZE_CAP	SZ_1M

unsigned int tl_max_value_size = 4096;

static int tl_param_set_value_size(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (n > TL_MAX_VALUE_SIZE_CAP)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops tl_value_size_ops = {
	.set = tl_param_set_value_size,
	.get = param_get_uint,
};

module_param_cb(max_value_size, &tl_value_size_ops, &tl_max_value_size, 0644);
MODULE_PARM_DESC(max_value_size, "Largest value userspace may set, in bytes (default 4096, at most 1048576)");

unsigned int tl_max_entries = 4096;
module_param_named(max_entries, tl_max_entries, uint, 0644);
MODULE_PARM_DESC(max_entries, "Entries one task may hold through /dev/tasklocal (default 4096)");

unsigned int tl_max_user_keys = 1024;
module_param_named(max_user_keys, tl_max_user_keys, uint, 0644);
MODULE_PARM_DESC(max_user_keys, "Keys one user may own (default 1024)");

unsigned int tl_max_keys = 65536;
module_param_named(max_keys, tl_max_keys, uint, 0644);
MODULE_PARM_DESC(max_keys, "Userspace keys in all (default 65536)");

/*
 * How long after a key's death the sweeper removes its entries from every
 * table (see sweep.c); read at each death. 0: never, as OpenJDK.
 */
unsigned int tl_sweep_delay_ms = 1000;
module_param_named(sweep_delay_ms, tl_sweep_delay_ms, uint, 0644);
MODULE_PARM_DESC(sweep_delay_ms, "Milliseconds from a key's death to the removal of its entries from idle tasks' tables; 0: off, entries wait for their task (default 1000)");
EXPORT_SYMBOL_IF_KUNIT(tl_sweep_delay_ms);

static int __init tasklocal_init(void)
{
	int err;

	err = tl_keys_init();
	if (err)
		return err;
	err = tl_ukeys_init();
	if (err)
		goto exit_keys;
	err = tl_tables_init();
	if (err)
		goto exit_ukeys;
	tl_sweep_init();
	err = tl_hooks_register();
	if (err)
		goto exit_sweep;
	err = tl_dev_register();
	if (err)
		goto unregister_hooks;
	pr_info("loaded: /dev/tasklocal, version %s, API %u.%u\n",
		TASKLOCAL_VERSION, TASKLOCAL_API_MAJOR, TASKLOCAL_API_MINOR);
	return 0;

unregister_hooks:
	tl_hooks_unregister();
exit_sweep:
	tl_sweep_exit();
	tl_tables_exit();
exit_ukeys:
	tl_ukeys_exit();
exit_keys:
	tl_keys_exit();
	return err;
}

static void __exit tasklocal_exit(void)
{
	tl_dev_unregister();
	tl_hooks_unregister();
	tl_fork_exit();
	tl_exec_exit();
	tl_ukeys_exit();
	tl_sweep_exit();
	tl_tables_exit();
	tl_keys_exit();
	rcu_barrier();	/* let every deferred free finish */
}

module_init(tasklocal_init);
module_exit(tasklocal_exit);

MODULE_AUTHOR("The tasklocal authors");
MODULE_DESCRIPTION("Per-task locals: a ThreadLocalMap per task, with weak keys");
MODULE_LICENSE("GPL");
MODULE_VERSION(TASKLOCAL_VERSION);
