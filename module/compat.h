/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels tasklocal builds for (6.1 to 6.12),
 * as small wrappers chosen by feature.
 */
#ifndef _TASKLOCAL_COMPAT_H
#define _TASKLOCAL_COMPAT_H

#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <uapi/linux/magic.h>

/* 6.12 made struct fd opaque, with fd_file() to read it. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/*
 * The struct pid behind a pidfd. pidfd_pid() is not exported to modules,
 * so recognize a pidfd the way it is made: since 6.9 a file of pidfs
 * holding the pid in its inode; before, an anonymous inode file named
 * "[pidfd]" holding it in private_data.
 */
static inline struct pid *tl_pidfd_pid(struct file *file)
{
#ifdef PID_FS_MAGIC
	if (file_inode(file)->i_sb->s_magic != PID_FS_MAGIC)
		return ERR_PTR(-EBADF);
	return file_inode(file)->i_private;
#else
	if (strcmp(file->f_path.dentry->d_name.name, "[pidfd]"))
		return ERR_PTR(-EBADF);
	return file->private_data;
#endif
}

#endif /* _TASKLOCAL_COMPAT_H */
