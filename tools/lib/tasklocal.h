/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libtasklocal: the userspace side of /dev/tasklocal.
 *
 * One function per ioctl, plus a few helpers that allocate what a call
 * needs (key lists, table dumps, values of any size). Every function
 * returns 0 (or a non-negative result) on success and a negative errno on
 * failure; none prints, none keeps state. The errnos are those of the
 * ioctl, documented in <linux/tasklocal.h>, plus -ENOMEM for the helpers'
 * allocations and -EINVAL for arguments the library itself cannot pass
 * (a name longer than 63 bytes, say).
 *
 * SET, GET, REMOVE and CLEAR act on the calling task's own table: a value
 * set by one thread is not seen by another, and it survives execve().
 *
 * Link with -ltasklocal (pkg-config --libs libtasklocal).
 */
#ifndef _LIBTASKLOCAL_H
#define _LIBTASKLOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/tasklocal.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open /dev/tasklocal (O_RDWR | O_CLOEXEC): a fd, or -errno. */
int tl_open(void);
int tl_close(int fd);

/* TASKLOCAL_IOC_VERSION: API version, features, limits. */
int tl_version(int fd, struct tasklocal_version *v);

/*
 * Key names: 1 to 63 bytes of [A-Za-z0-9_.:-], carried as NUL-padded bytes
 * in TASKLOCAL_NAME_WORDS __u64 words.
 */

/* True if @name is a valid key name. */
bool tl_name_valid(const char *name);

/*
 * Pack @name into @words, NUL-padded. The characters are not checked (the
 * module does that); the length is: -EINVAL if empty or longer than 63.
 */
int tl_name_pack(__u64 words[TASKLOCAL_NAME_WORDS], const char *name);

/* Unpack @words into @buf (TASKLOCAL_NAME_MAX bytes), NUL-terminated. */
void tl_name_unpack(char buf[TASKLOCAL_NAME_MAX],
		    const __u64 words[TASKLOCAL_NAME_WORDS]);

/* Unpack a task's command name (struct tasklocal_task_info.comm). */
void tl_comm_unpack(char buf[17], const __u64 comm[2]);

/*
 * Keys.
 */

/**
 * tl_key_create() - TASKLOCAL_IOC_KEY_CREATE
 * @fd: /dev/tasklocal
 * @name: a unique name, or NULL for an anonymous key (which needs
 *	TASKLOCAL_KEY_FD)
 * @flags: TASKLOCAL_KEY_INHERIT, TASKLOCAL_KEY_FD
 * @initial: the value GET stores on a miss, or NULL
 * @initial_len: its length, 0 for none
 * @out: filled in with the request and its results (id, hash and, with
 *	TASKLOCAL_KEY_FD, the key's fd, which the caller then owns: closing
 *	its last copy kills the key). May be NULL without TASKLOCAL_KEY_FD.
 *
 * Return: 0, or -EINVAL, -EEXIST, -E2BIG, -EDQUOT, -ENOSPC, -EFAULT,
 * -ENOMEM, -EMFILE.
 */
int tl_key_create(int fd, const char *name, __u32 flags, const void *initial,
		  __u32 initial_len, struct tasklocal_key_create *out);

/*
 * tl_key_create_mode() - the same, with a mode: TASKLOCAL_PERM_* bits,
 * what users other than the key's owner may do with it (API 0.4; an
 * older module answers -EINVAL).
 */
int tl_key_create_mode(int fd, const char *name, __u32 flags, __u32 mode,
		       const void *initial, __u32 initial_len,
		       struct tasklocal_key_create *out);

/* TASKLOCAL_IOC_KEY_DELETE: kill a named key. -ENOENT, -EPERM, -EINVAL. */
int tl_key_delete(int fd, __u64 id);

/*
 * TASKLOCAL_IOC_KEY_LIST, one page: the caller sets @kl->keys, ->count
 * and ->start_id; the library sets @kl->info_size and zeroes the reserved
 * fields. From a module older than 0.6 the keys' death_time reads 0.
 */
int tl_key_list_page(int fd, struct tasklocal_key_list *kl);

/*
 * Every key (live ones, and dead ones with entries left), by id: an array
 * the caller frees with free(), and its length. Pages through the list.
 */
int tl_key_list(int fd, struct tasklocal_key_info **keys, size_t *count);

/*
 * The live key named @name: 0, or -ENOENT. One ioctl (KEY_FIND) whatever
 * the number of keys; from a module before 0.7, a look through the list
 * of them all. Anyone may create any free
 * name: a program that trusts what a key holds should find it with
 * tl_key_find_owned() instead.
 */
int tl_key_find(int fd, const char *name, struct tasklocal_key_info *info);

/*
 * The live key named @name if its owner is @owner: 0; -ENOENT if there is
 * none; -EPERM if another user owns that name (it was squatted: @info is
 * still filled in, for the caller to say by whom). Check @info->mode too
 * if it matters who else may set values under the key.
 */
int tl_key_find_owned(int fd, const char *name, uid_t owner,
		      struct tasklocal_key_info *info);

/* The key with id @id, live or dead: 0, or -ENOENT. */
int tl_key_find_id(int fd, __u64 id, struct tasklocal_key_info *info);

/*
 * Values, in the caller's own table.
 */

/* TASKLOCAL_IOC_SET; @flags: TASKLOCAL_SET_CREATE or _REPLACE, or 0. */
int tl_set(int fd, __u64 key_id, const void *buf, size_t len, __u32 flags);

/**
 * tl_get() - TASKLOCAL_IOC_GET
 * @fd: /dev/tasklocal
 * @key_id: the key
 * @buf: where the value goes
 * @len: room at @buf (in); the value's length (out), also on -ERANGE,
 *	where it is the room needed
 * @flags: TASKLOCAL_GET_INITIAL if this is the key's initial value, just
 *	stored, or with TASKLOCAL_GET_UNSTORED not stored because the table
 *	is at max_entries (out), also on -ERANGE; may be NULL
 *
 * Return: 0, or -ENOENT (no such live key), -ENODATA (no value and no
 * initial value), -ERANGE (@buf too small), -EINVAL, -EFAULT.
 */
int tl_get(int fd, __u64 key_id, void *buf, size_t *len, __u32 *flags);

/*
 * tl_get() into a buffer of the right size, allocated (caller frees) and
 * NUL-terminated after its @len bytes for convenience.
 */
int tl_get_alloc(int fd, __u64 key_id, void **buf, size_t *len,
		 __u32 *flags);

/* TASKLOCAL_IOC_REMOVE: -ENOENT, -ENODATA. */
int tl_remove(int fd, __u64 key_id);

/* TASKLOCAL_IOC_CLEAR: entries removed (stale ones included), or -errno. */
int tl_clear(int fd);

/*
 * TASKLOCAL_IOC_CLEAR of another task's table (@flags TASKLOCAL_CLEAR_PID
 * or _PIDFD, @target the pid or pidfd), or of the entry of one key alone
 * (TASKLOCAL_CLEAR_KEY, @key_id, live or dead): entries removed, or
 * -ESRCH, -EBADF, -EPERM (the rights ptrace would need), -ENOENT (no
 * such userspace key). API 0.5.
 */
int tl_clear_task(int fd, __u32 flags, int target, __u64 key_id);

/*
 * Tables.
 */

/* TASKLOCAL_IOC_TABLE_DUMP as is: the caller fills in @d. */
int tl_table_dump_raw(int fd, struct tasklocal_table_dump *d);

/* A table dump with its slots and value bytes, from tl_table_dump(). */
struct tl_dump {
	struct tasklocal_table_dump info;	/* pid, len, size, stale... */
	struct tasklocal_slot *slots;		/* info.nr_slots, by index */
	unsigned char *values;			/* info.values_len bytes */
};

/**
 * tl_table_dump() - TASKLOCAL_IOC_TABLE_DUMP, with room enough
 * @fd: /dev/tasklocal
 * @flags: TASKLOCAL_DUMP_PID or TASKLOCAL_DUMP_PIDFD (or neither: the
 *	caller's own table), TASKLOCAL_DUMP_VALUES
 * @target: the pid or pidfd
 * @out: the dump, for tl_dump_free()
 *
 * Retries with more room while the table has more slots or value bytes
 * than there was room for (it may grow in between).
 *
 * Return: 0, or -ESRCH, -ENODATA (no table), -EPERM, -EBADF, -EINVAL,
 * -EFAULT, -ENOMEM, -EAGAIN (the table kept growing).
 */
int tl_table_dump(int fd, __u32 flags, int target, struct tl_dump **out);
void tl_dump_free(struct tl_dump *d);

/*
 * The value bytes of a slot of @d, or NULL if they were not copied (no
 * TASKLOCAL_DUMP_VALUES, a kernel key's value, or truncated).
 */
const void *tl_dump_value(const struct tl_dump *d,
			  const struct tasklocal_slot *s);

/*
 * TASKLOCAL_IOC_TABLE_LIST: tasks with tables, by pid (0, outside the
 * caller's pid namespace, first), allocated (caller frees).
 */
int tl_table_list(int fd, struct tasklocal_task_info **tasks, size_t *count);

/* TASKLOCAL_IOC_STATS: module-wide counters. */
int tl_stats(int fd, struct tasklocal_stats *st);

/* A short text for a negative errno from this library. */
const char *tl_strerror(int err);

/* The library's version, "MAJOR.MINOR.PATCH": the project's one version. */
const char *tl_library_version(void);

#ifdef __cplusplus
}
#endif

#endif /* _LIBTASKLOCAL_H */
