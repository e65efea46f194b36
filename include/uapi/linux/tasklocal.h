/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * tasklocal: per-task locals. The ioctl interface of /dev/tasklocal.
 *
 * Every structure has only __u32/__u64 fields, explicit padding and a
 * size that is a multiple of 8; user pointers travel as __u64. Unknown
 * flags and non-zero reserved fields are rejected with EINVAL, unknown
 * commands with ENOTTY. Structures grow only at their end.
 */
#ifndef _UAPI_LINUX_TASKLOCAL_H
#define _UAPI_LINUX_TASKLOCAL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TASKLOCAL_DEVICE		"/dev/tasklocal"
#define TASKLOCAL_IOC_MAGIC		0xB9

#define TASKLOCAL_API_MAJOR		0
#define TASKLOCAL_API_MINOR		1

/* Feature bits reported by TASKLOCAL_IOC_VERSION. */
#define TASKLOCAL_FEATURE_EXIT_HOOK	(1ULL << 0) /* tables freed at exit */

/**
 * struct tasklocal_version - TASKLOCAL_IOC_VERSION
 * @api_major: incompatible ABI changes (out)
 * @api_minor: compatible additions (out)
 * @features: TASKLOCAL_FEATURE_* the module supports (out)
 * @max_value_size: largest value, in bytes (out)
 * @max_entries: entries one task may hold (out)
 * @max_user_keys: keys one user may own (out)
 * @max_keys: keys in all (out)
 * @map_initial_len: slots in a new table (out)
 * @hash_increment: step between successive key hashes (out)
 * @reserved: zero (out)
 */
struct tasklocal_version {
	__u32 api_major;
	__u32 api_minor;
	__u64 features;
	__u32 max_value_size;
	__u32 max_entries;
	__u32 max_user_keys;
	__u32 max_keys;
	__u32 map_initial_len;
	__u32 hash_increment;
	__u64 reserved[4];
};

#define TASKLOCAL_IOC_VERSION \
	_IOR(TASKLOCAL_IOC_MAGIC, 0x00, struct tasklocal_version)

#endif /* _UAPI_LINUX_TASKLOCAL_H */
