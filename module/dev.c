// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/tasklocal: the ioctl interface for userspace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include "internal.h"

static long tl_ioc_version(void __user *arg)
{
	struct tasklocal_version v;

	memset(&v, 0, sizeof(v));
	v.api_major = TASKLOCAL_API_MAJOR;
	v.api_minor = TASKLOCAL_API_MINOR;
	v.features = TASKLOCAL_FEATURE_EXIT_HOOK;
	v.max_value_size = tl_max_value_size;
	v.max_entries = tl_max_entries;
	v.max_user_keys = tl_max_user_keys;
	v.max_keys = tl_max_keys;
	v.map_initial_len = TLMAP_INITIAL_LEN;
	v.hash_increment = TLMAP_HASH_INCREMENT;
	if (copy_to_user(arg, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

static long tl_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TASKLOCAL_IOC_VERSION:
		return tl_ioc_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations tl_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= tl_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice tl_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "tasklocal",
	.fops	= &tl_dev_fops,
	.mode	= 0666,
};

int tl_dev_register(void)
{
	return misc_register(&tl_miscdev);
}

void tl_dev_unregister(void)
{
	misc_deregister(&tl_miscdev);
}
