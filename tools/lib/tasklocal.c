// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libtasklocal: thin wrappers over the /dev/tasklocal ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tasklocal.h"

static int tl_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int tl_open(void)
{
	int fd = open(TASKLOCAL_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int tl_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

int tl_version(int fd, struct tasklocal_version *v)
{
	memset(v, 0, sizeof(*v));
	return tl_ioctl(fd, TASKLOCAL_IOC_VERSION, v);
}

const char *tl_strerror(int err)
{
	switch (-err) {
	case ENOENT:
		return "no such key or device (is the tasklocal module loaded?)";
	case ENOTTY:
		return "operation not supported by this tasklocal module";
	default:
		return strerror(-err);
	}
}
