/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * tasklocal: per-task locals. The ioctl interface of /dev/tasklocal.
 *
 * Every structure has only __u32/__u64 fields, explicit padding and a
 * size that is a multiple of 8; user pointers travel as __u64, names as
 * NUL-padded bytes in __u64 words. Unknown flags and non-zero reserved
 * fields are rejected with EINVAL, unknown commands with ENOTTY. Only ids
 * and hashes cross the boundary, never kernel addresses. Structures grow
 * only at their end.
 *
 * The caller's own table: SET, GET, REMOVE act on the calling task's
 * table only. Any user may use any live key there (a key is a name; each
 * task's value is its own, charged to its memory cgroup). Other tasks'
 * tables can be read (TABLE_DUMP) and cleared (CLEAR by pid or pidfd)
 * with the rights ptrace would need; TABLE_LIST shows the tables of the
 * tasks of the caller's pid namespace that it could read so. At an
 * execve() that raises privilege (setuid, setgid, file capabilities:
 * AT_SECURE) the task's userspace values are removed before the new
 * program runs. The rules and their reasons: docs/SECURITY.md. A
 * structure smaller than the command's first (this version's, but for
 * CLEAR: TASKLOCAL_CLEAR_SIZE_VER0, for KEY_LIST:
 * TASKLOCAL_KEY_LIST_SIZE_VER0) is EINVAL.
 */
#ifndef _UAPI_LINUX_TASKLOCAL_H
#define _UAPI_LINUX_TASKLOCAL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TASKLOCAL_DEVICE		"/dev/tasklocal"
#define TASKLOCAL_IOC_MAGIC		0xB9

#define TASKLOCAL_API_MAJOR		0
#define TASKLOCAL_API_MINOR		7

/* Feature bits reported by TASKLOCAL_IOC_VERSION. */
#define TASKLOCAL_FEATURE_EXIT_HOOK	(1ULL << 0) /* tables freed at exit */
#define TASKLOCAL_FEATURE_INHERIT	(1ULL << 1) /* inheritable keys */
#define TASKLOCAL_FEATURE_PIDFD		(1ULL << 2) /* TABLE_DUMP by pidfd */
#define TASKLOCAL_FEATURE_KEY_MODE	(1ULL << 3) /* keys' modes (0.4) */
#define TASKLOCAL_FEATURE_SECURE_EXEC	(1ULL << 4) /* cleared at AT_SECURE */
#define TASKLOCAL_FEATURE_SWEEP		(1ULL << 5) /* dead keys swept (0.5) */
#define TASKLOCAL_FEATURE_CLEAR_TASK	(1ULL << 6) /* CLEAR by pid, key (0.5) */
#define TASKLOCAL_FEATURE_DEATH_TIME	(1ULL << 7) /* keys' death_time (0.6) */
#define TASKLOCAL_FEATURE_KEY_FIND	(1ULL << 8) /* KEY_FIND by name (0.7) */

/* A key name: 1 to 63 bytes of [A-Za-z0-9_.:-], NUL-padded. */
#define TASKLOCAL_NAME_MAX		64
#define TASKLOCAL_NAME_WORDS		(TASKLOCAL_NAME_MAX / 8)

/**
 * struct tasklocal_version - TASKLOCAL_IOC_VERSION
 * @api_major: incompatible ABI changes (out)
 * @api_minor: compatible additions (out)
 * @features: TASKLOCAL_FEATURE_* the module supports (out)
 * @max_value_size: largest value, in bytes (out)
 * @max_entries: entries one task may hold (out)
 * @max_user_keys: keys one user may own (out)
 * @max_keys: userspace keys in all (out)
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

/* Key flags (struct tasklocal_key_create.flags, tasklocal_key_info.flags) */
#define TASKLOCAL_KEY_INHERIT		(1U << 0) /* children get a copy */
#define TASKLOCAL_KEY_FD		(1U << 1) /* owned by a returned fd */
#define TASKLOCAL_KEY_MODE		(1U << 2) /* @mode is given */
#define TASKLOCAL_KEY_CREATE_MASK	(TASKLOCAL_KEY_INHERIT | \
					 TASKLOCAL_KEY_FD | TASKLOCAL_KEY_MODE)
/* Reported only (struct tasklocal_key_info.flags): */
#define TASKLOCAL_KEY_DEAD		(1U << 16) /* deleted; entries stale */
#define TASKLOCAL_KEY_KERNEL		(1U << 17) /* created by kernel code */
#define TASKLOCAL_KEY_HAS_INITIAL	(1U << 18) /* has an initial value */

/*
 * A key's mode: what users other than its owner may do with it. Its owner
 * (the creator's effective uid), and callers with CAP_SYS_ADMIN, may do
 * everything.
 */
#define TASKLOCAL_PERM_SET		(1U << 0) /* set values under it */
#define TASKLOCAL_PERM_READ		(1U << 1) /* read others' values of it */
#define TASKLOCAL_PERM_DELETE		(1U << 2) /* delete it */
#define TASKLOCAL_PERM_MASK		(TASKLOCAL_PERM_SET | \
					 TASKLOCAL_PERM_READ | \
					 TASKLOCAL_PERM_DELETE)
/* Without TASKLOCAL_KEY_MODE: as before 0.4. */
#define TASKLOCAL_PERM_DEFAULT		(TASKLOCAL_PERM_SET | TASKLOCAL_PERM_READ)

/**
 * struct tasklocal_key_create - TASKLOCAL_IOC_KEY_CREATE
 * @flags: TASKLOCAL_KEY_INHERIT, TASKLOCAL_KEY_FD, TASKLOCAL_KEY_MODE (in)
 * @initial_len: length of the initial value, 0 for none (in)
 * @initial: user pointer to the initial value GET stores on a miss (in)
 * @name: unique name, or all zero for an anonymous key (in). A named key
 *	is kept alive by the module until TASKLOCAL_IOC_KEY_DELETE; with
 *	TASKLOCAL_KEY_FD the returned fd keeps it alive instead, and closing
 *	the last copy of that fd kills the key.
 * @id: the key's id (out)
 * @hash: the key's hash; its home slot is hash & (table length - 1) (out)
 * @fd: with TASKLOCAL_KEY_FD, the key's fd (out). It is O_CLOEXEC: an
 *	execve() that closes its last copy kills the key, and the values
 *	set under it (the caller's too) turn stale. Values survive execve;
 *	for a key's values to, clear FD_CLOEXEC (fcntl()) or use a named key.
 * @mode: with TASKLOCAL_KEY_MODE, TASKLOCAL_PERM_* : what others than the
 *	owner may do with the key; without it zero, and the mode is
 *	TASKLOCAL_PERM_DEFAULT (in)
 * @reserved0: zero (in)
 * @reserved: zero (in)
 *
 * Ids are allocated cyclically: a deleted key's id is not given to the
 * next key. If the reply cannot be written (EFAULT) no key is left and no
 * fd installed.
 *
 * Errors: EINVAL (flags, reserved, name, an anonymous key without
 * TASKLOCAL_KEY_FD), EEXIST (name taken), E2BIG (initial value too long),
 * EDQUOT (the caller's keys reach max_user_keys), ENOSPC (max_keys),
 * EFAULT, ENOMEM, EMFILE, ENFILE.
 */
struct tasklocal_key_create {
	__u32 flags;
	__u32 initial_len;
	__u64 initial;
	__u64 name[TASKLOCAL_NAME_WORDS];
	__u64 id;
	__u32 hash;
	__s32 fd;
	__u32 mode;
	__u32 reserved0;
	__u64 reserved;
};

/**
 * struct tasklocal_key_delete - TASKLOCAL_IOC_KEY_DELETE
 * @id: the key (in)
 * @flags: zero (in)
 * @reserved: zero (in)
 *
 * The key dies: every task's entry for it becomes stale, and is removed
 * (its value freed) by the sweeper sweep_delay_ms later (a module
 * parameter; 0: never), or as that task's table is used, or at its exit.
 * Errors: ENOENT (no live named key with that id), EPERM (not the
 * owner, no CAP_SYS_ADMIN, and the key's mode has no
 * TASKLOCAL_PERM_DELETE), EINVAL (an fd-owned key: close its fd).
 */
struct tasklocal_key_delete {
	__u64 id;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct tasklocal_key_info - one key, as TASKLOCAL_IOC_KEY_LIST reports it
 * @id: the key's id
 * @hash: its hash
 * @flags: TASKLOCAL_KEY_* (creation flags and state)
 * @uid: owner (in the caller's user namespace)
 * @entries: entries that point at the key, in all tables; a reaped task's
 *	count until its table is released, shortly after its exit
 * @initial_len: length of its initial value
 * @mode: TASKLOCAL_PERM_*: what others than its owner may do with it (0
 *	for kernel keys)
 * @name: its name, NUL-padded; empty for an anonymous key
 * @death_time: when it died, in nanoseconds of the caller's CLOCK_BOOTTIME
 *	(that of its time namespace); 0 while it lives (since 0.6: see
 *	&struct tasklocal_key_list.info_size)
 */
struct tasklocal_key_info {
	__u64 id;
	__u32 hash;
	__u32 flags;
	__u32 uid;
	__u32 entries;
	__u32 initial_len;
	__u32 mode;
	__u64 name[TASKLOCAL_NAME_WORDS];
	__u64 death_time;
};

/* struct tasklocal_key_info before 0.6: up to @name */
#define TASKLOCAL_KEY_INFO_SIZE_VER0	96
/* the largest element size TASKLOCAL_IOC_KEY_LIST takes */
#define TASKLOCAL_KEY_INFO_SIZE_MAX	1024

/**
 * struct tasklocal_key_list - TASKLOCAL_IOC_KEY_LIST
 * @keys: user pointer to an array of @count elements of @info_size bytes
 *	each, struct tasklocal_key_info (in)
 * @count: room in @keys (in); keys filled in (out)
 * @total: keys there are, live and dead with entries left (out)
 * @start_id: list keys with an id >= this (in)
 * @next_id: the id to start the next call at, 0 when done (out)
 * @reserved: zero (in)
 * @info_size: the size of one element of @keys: a multiple of 8 from
 *	TASKLOCAL_KEY_INFO_SIZE_VER0 to TASKLOCAL_KEY_INFO_SIZE_MAX, most
 *	often sizeof(struct tasklocal_key_info) (in, and left as it is).
 *	Each element gets this ABI's structure, cut to @info_size or with
 *	zeroes after it. Since 0.6: 0 is EINVAL (a caller built against
 *	this header says its size); a caller of 0.5, whose structure is
 *	TASKLOCAL_KEY_LIST_SIZE_VER0 bytes, gets elements of
 *	TASKLOCAL_KEY_INFO_SIZE_VER0. A module before 0.6 answers E2BIG to
 *	a non-zero @info_size (copy_struct_from_user() of a larger
 *	structure): a caller may then ask again with 0 and 96-byte elements.
 * @reserved1: zero (in)
 *
 * Errors: EINVAL (@info_size, reserved fields, a structure between 40
 * and 48 bytes), EFAULT (@keys may then be written in part, @count not),
 * ENOMEM.
 */
struct tasklocal_key_list {
	__u64 keys;
	__u32 count;
	__u32 total;
	__u64 start_id;
	__u64 next_id;
	__u64 reserved;
	__u32 info_size;
	__u32 reserved1;
};

/* struct tasklocal_key_list before 0.6: up to @reserved */
#define TASKLOCAL_KEY_LIST_SIZE_VER0	40

/**
 * struct tasklocal_key_find - TASKLOCAL_IOC_KEY_FIND: a live key by name
 * @name: its name, NUL-padded, as at creation (in)
 * @info: user pointer to one struct tasklocal_key_info of @info_size
 *	bytes, filled in as TASKLOCAL_IOC_KEY_LIST fills its elements (in)
 * @info_size: as &struct tasklocal_key_list.info_size (in)
 * @flags: zero (in)
 * @reserved: zero (in)
 *
 * One call, whatever the number of keys, where a caller of 0.6 listed
 * them all (since 0.7: TASKLOCAL_FEATURE_KEY_FIND; before, ENOTTY).
 * Dead keys, anonymous keys and kernel keys have no name to be found by.
 *
 * Errors: ENOENT (no live key of that name), EINVAL (the name, @info_size,
 * @flags, @reserved), EFAULT.
 */
struct tasklocal_key_find {
	__u64 name[TASKLOCAL_NAME_WORDS];
	__u64 info;
	__u32 info_size;
	__u32 flags;
	__u64 reserved;
};

/* Flags of struct tasklocal_value (SET) */
#define TASKLOCAL_SET_CREATE		(1U << 0) /* fail if a value exists */
#define TASKLOCAL_SET_REPLACE		(1U << 1) /* fail if none exists */
#define TASKLOCAL_SET_MASK		(TASKLOCAL_SET_CREATE | TASKLOCAL_SET_REPLACE)
/* Reported by GET: */
#define TASKLOCAL_GET_INITIAL		(1U << 8) /* the initial value */
#define TASKLOCAL_GET_UNSTORED		(1U << 9) /* ... not stored: max_entries */

/**
 * struct tasklocal_value - TASKLOCAL_IOC_SET, _GET, _REMOVE
 * @key_id: the key (in)
 * @flags: SET: TASKLOCAL_SET_*; GET, REMOVE: zero (in). GET: (out)
 * @len: SET: the value's length (in). GET: room at @value (in), the
 *	value's length (out)
 * @value: user pointer to the value (in)
 * @reserved: zero (in)
 *
 * GET of a key the caller has no value for returns the key's initial
 * value, if it has one, with TASKLOCAL_GET_INITIAL, and stores it as the
 * caller's value (Java's ThreadLocal.get()); when the caller's table is
 * at max_entries it is returned but not stored, with
 * TASKLOCAL_GET_UNSTORED too. A GET that fails stores nothing.
 *
 * A key is dead for every call once KEY_DELETE, or the close() of its
 * last fd, has returned: ENOENT, even for a call on another thread that
 * is still running.
 *
 * Errors: ENOENT (no such live key), ENODATA (GET, REMOVE: no value and
 * no initial value), EEXIST / ENOENT (SET with CREATE / REPLACE), ERANGE
 * (GET: @len too small; @len is set to what is needed), E2BIG (SET: over
 * max_value_size), ENOSPC (SET: max_entries), EACCES (SET under a key
 * whose mode has no TASKLOCAL_PERM_SET, by another than its owner without
 * CAP_SYS_ADMIN), EINVAL, EFAULT, ENOMEM.
 */
struct tasklocal_value {
	__u64 key_id;
	__u32 flags;
	__u32 len;
	__u64 value;
	__u64 reserved;
};

/* Flags of struct tasklocal_clear (0.5) */
#define TASKLOCAL_CLEAR_PID		(1U << 0) /* @target is a pid */
#define TASKLOCAL_CLEAR_PIDFD		(1U << 1) /* @target is a pidfd */
#define TASKLOCAL_CLEAR_KEY		(1U << 2) /* only @key_id's entry */
#define TASKLOCAL_CLEAR_MASK		(TASKLOCAL_CLEAR_PID | \
					 TASKLOCAL_CLEAR_PIDFD | \
					 TASKLOCAL_CLEAR_KEY)

/* The first structure, 8 bytes (API 0.1 to 0.4): still accepted. */
#define TASKLOCAL_CLEAR_SIZE_VER0	8

/**
 * struct tasklocal_clear - TASKLOCAL_IOC_CLEAR: empty a table
 * @flags: TASKLOCAL_CLEAR_* (in); none of PID, PIDFD: the caller's table
 * @removed: entries removed, stale ones included (out)
 * @target: a pid (in the caller's pid namespace) or a pidfd (in)
 * @reserved: zero (in)
 * @key_id: with TASKLOCAL_CLEAR_KEY, the key, live or dead, whose entry
 *	alone goes (in)
 *
 * Only userspace keys' entries go; kernel code's values stay (but stale
 * entries of dead kernel keys met on the way are expunged, and counted).
 * Another task's table needs the rights ptrace would need (its uids and
 * gids all the caller's real ones, its permitted capabilities among the
 * caller's, and dumpable; or CAP_SYS_PTRACE), checked with no execve()
 * of the target in between. A pid names one thread (a pidfd: its
 * thread, the group leader's for a process pidfd): tables are per
 * thread. An 8-byte (API 0.4) structure may set no flag. A task without a
 * table has nothing removed. EFAULT if the reply is not writable, with
 * nothing removed; ESRCH (no such task), EBADF (not a pidfd), EPERM (no
 * right), ENOENT (@key_id names no userspace key), EINTR (killed while
 * waiting for the target's execve()), EINVAL.
 */
struct tasklocal_clear {
	__u32 flags;
	__u32 removed;
	__s32 target;
	__u32 reserved;
	__u64 key_id;
};

/* Flags of struct tasklocal_table_dump */
#define TASKLOCAL_DUMP_PID		(1U << 0) /* @target is a pid */
#define TASKLOCAL_DUMP_PIDFD		(1U << 1) /* @target is a pidfd */
#define TASKLOCAL_DUMP_VALUES		(1U << 2) /* copy value bytes */
#define TASKLOCAL_DUMP_MASK		(TASKLOCAL_DUMP_PID | \
					 TASKLOCAL_DUMP_PIDFD | \
					 TASKLOCAL_DUMP_VALUES)

/* struct tasklocal_slot.flags */
#define TASKLOCAL_SLOT_STALE		(1U << 0) /* the key is dead */
#define TASKLOCAL_SLOT_KERNEL		(1U << 1) /* a kernel key's value */
#define TASKLOCAL_SLOT_TRUNCATED	(1U << 2) /* value bytes did not fit */
#define TASKLOCAL_SLOT_HIDDEN		(1U << 3) /* bytes not shown: key's mode */

/**
 * struct tasklocal_slot - one occupied slot of a table
 * @index: the slot
 * @home: the key's home slot (hash & (len - 1)); probe distance is
 *	(index - home) & (len - 1)
 * @key_id: the key's id
 * @hash: the key's hash
 * @flags: TASKLOCAL_SLOT_*
 * @value_len: the value's length (0 for kernel keys' values)
 * @value_offset: with TASKLOCAL_DUMP_VALUES, where its bytes start in the
 *	values buffer
 * @reserved: zero
 * @name: the key's name, NUL-padded
 */
struct tasklocal_slot {
	__u32 index;
	__u32 home;
	__u64 key_id;
	__u32 hash;
	__u32 flags;
	__u32 value_len;
	__u32 value_offset;
	__u64 reserved;
	__u64 name[TASKLOCAL_NAME_WORDS];
};

/**
 * struct tasklocal_table_dump - TASKLOCAL_IOC_TABLE_DUMP
 * @flags: TASKLOCAL_DUMP_* (in); none of PID, PIDFD: the caller's table
 * @target: a pid (in the caller's pid namespace) or a pidfd (in)
 * @slots: user pointer to an array of struct tasklocal_slot (in)
 * @nr_slots: room in @slots (in); occupied slots filled in (out)
 * @values: user pointer to a buffer for value bytes (in)
 * @values_len: room at @values (in); bytes used (out)
 * @pid: the task's pid (out)
 * @len: slots in the table (out)
 * @size: entries, stale included (out)
 * @threshold: size at which it grows (out)
 * @stale: stale entries (out)
 * @reserved0: zero (in)
 * @expunged: stale entries expunged so far (out)
 * @resizes: times the slot array doubled (out)
 * @rehashes: full stale sweeps (out)
 * @value_bytes: bytes of values held (out)
 * @reserved: zero (in)
 *
 * The snapshot is consistent: taken while the table did not change. If
 * @slots has too little room, ERANGE and @nr_slots is set to what is
 * needed. The rights are checked and the snapshot taken with no execve()
 * of the target in between. Errors: ESRCH (no such task), ENODATA (the
 * task has no table), EPERM (reading another task's table needs the same
 * uid and gid and a dumpable target (or a zombie), or CAP_SYS_PTRACE),
 * EBADF (not a pidfd), EBUSY (the table kept changing: no consistent
 * snapshot in 1000 tries), EINTR (killed while waiting for the target's
 * execve()), EINVAL, EFAULT, ENOMEM.
 */
struct tasklocal_table_dump {
	__u32 flags;
	__s32 target;
	__u64 slots;
	__u32 nr_slots;
	__u32 values_len;
	__u64 values;
	__u32 pid;
	__u32 len;
	__u32 size;
	__u32 threshold;
	__u32 stale;
	__u32 reserved0;
	__u64 expunged;
	__u64 resizes;
	__u64 rehashes;
	__u64 value_bytes;
	__u64 reserved[2];
};

/**
 * struct tasklocal_task_info - one task with a table (TABLE_LIST)
 * @pid: its pid in the caller's pid namespace
 * @len: slots in its table
 * @size: entries, stale included
 * @stale: stale entries
 * @value_bytes: bytes of values held
 * @comm: its command name, NUL-padded
 */
struct tasklocal_task_info {
	__u32 pid;
	__u32 len;
	__u32 size;
	__u32 stale;
	__u64 value_bytes;
	__u64 comm[2];
};

/**
 * struct tasklocal_table_list - TASKLOCAL_IOC_TABLE_LIST: tasks with tables
 * @tasks: user pointer to an array of struct tasklocal_task_info (in)
 * @count: room in @tasks (in); tasks filled in (out)
 * @total: tasks with tables the caller may see (out): those of its pid
 *	namespace and the ones below it, and without CAP_SYS_PTRACE only
 *	those whose table TABLE_DUMP would let it read
 * @flags: zero (in)
 * @reserved: zero (in)
 */
struct tasklocal_table_list {
	__u64 tasks;
	__u32 count;
	__u32 total;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct tasklocal_stats - TASKLOCAL_IOC_STATS: module-wide counters (out)
 * @tables: tables now
 * @entries: entries now, stale included
 * @stale: stale entries now
 * @value_bytes: bytes of userspace values held now
 * @keys: keys alive now
 * @dead_keys: dead keys whose entries are not all expunged yet
 * @tables_created: since load
 * @tables_freed: since load
 * @expunged: stale entries expunged since load
 * @resizes: slot arrays doubled since load
 * @swept: stale entries the sweeper removed since load (0.5)
 * @inherit_failed: values children did not inherit since load, their
 *	key's child() op having given none (0.5)
 * @reserved: zero
 */
struct tasklocal_stats {
	__u64 tables;
	__u64 entries;
	__u64 stale;
	__u64 value_bytes;
	__u64 keys;
	__u64 dead_keys;
	__u64 tables_created;
	__u64 tables_freed;
	__u64 expunged;
	__u64 resizes;
	__u64 swept;
	__u64 inherit_failed;
	__u64 reserved[4];
};

#define TASKLOCAL_IOC_VERSION \
	_IOR(TASKLOCAL_IOC_MAGIC, 0x00, struct tasklocal_version)
#define TASKLOCAL_IOC_KEY_CREATE \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x01, struct tasklocal_key_create)
#define TASKLOCAL_IOC_KEY_DELETE \
	_IOW(TASKLOCAL_IOC_MAGIC, 0x02, struct tasklocal_key_delete)
#define TASKLOCAL_IOC_KEY_LIST \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x03, struct tasklocal_key_list)
#define TASKLOCAL_IOC_KEY_FIND \
	_IOW(TASKLOCAL_IOC_MAGIC, 0x04, struct tasklocal_key_find)
#define TASKLOCAL_IOC_SET \
	_IOW(TASKLOCAL_IOC_MAGIC, 0x10, struct tasklocal_value)
#define TASKLOCAL_IOC_GET \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x11, struct tasklocal_value)
#define TASKLOCAL_IOC_REMOVE \
	_IOW(TASKLOCAL_IOC_MAGIC, 0x12, struct tasklocal_value)
#define TASKLOCAL_IOC_CLEAR \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x13, struct tasklocal_clear)
#define TASKLOCAL_IOC_TABLE_DUMP \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x20, struct tasklocal_table_dump)
#define TASKLOCAL_IOC_TABLE_LIST \
	_IOWR(TASKLOCAL_IOC_MAGIC, 0x21, struct tasklocal_table_list)
#define TASKLOCAL_IOC_STATS \
	_IOR(TASKLOCAL_IOC_MAGIC, 0x30, struct tasklocal_stats)

#endif /* _UAPI_LINUX_TASKLOCAL_H */
