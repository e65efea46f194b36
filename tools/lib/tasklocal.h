/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libtasklocal: the userspace side of /dev/tasklocal.
 *
 * One function per ioctl. Every function returns 0 (or a non-negative
 * result) on success and a negative errno on failure; none prints.
 */
#ifndef _LIBTASKLOCAL_H
#define _LIBTASKLOCAL_H

#include <linux/tasklocal.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open /dev/tasklocal (O_RDWR | O_CLOEXEC): a fd, or -errno. */
int tl_open(void);
int tl_close(int fd);

int tl_version(int fd, struct tasklocal_version *v);

/* A short text for a negative errno from this library. */
const char *tl_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _LIBTASKLOCAL_H */
