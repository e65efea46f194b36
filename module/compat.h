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

/* 6.4 marks the kernel threads cloned from user tasks PF_USER_WORKER. */
#ifdef PF_USER_WORKER
#define TL_PF_USER_WORKER	PF_USER_WORKER
#else
#define TL_PF_USER_WORKER	0
#endif

/* 6.12 made struct fd opaque, with fd_file() to read it. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/*
 * The struct pid behind a pidfd. pidfd_pid() is not exported to modules,
 * so recognize a pidfd by what userspace cannot forge. Since 6.9 a pidfd
 * is a file of pidfs, which only the kernel populates, holding the pid in
 * its inode. Before, it is a file of the anonymous-inode filesystem
 * (never mounted, populated only by the kernel) named "[pidfd]", holding
 * the pid in private_data: a FIFO, directory or socket of that name on
 * any other filesystem is not one.
 */
static inline struct pid *tl_pidfd_pid(struct file *file)
{
	struct inode *inode = file_inode(file);

#ifdef PID_FS_MAGIC
	if (inode->i_sb->s_magic != PID_FS_MAGIC)
		return ERR_PTR(-EBADF);
	return inode->i_private;
#else
	if (inode->i_sb->s_magic != ANON_INODE_FS_MAGIC ||
	    strcmp(file->f_path.dentry->d_name.name, "[pidfd]") ||
	    !file->private_data)
		return ERR_PTR(-EBADF);
	return file->private_data;
#endif
}

#endif /* _TASKLOCAL_COMPAT_H */
