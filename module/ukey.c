// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keys made from userspace, and their values: immutable byte buffers,
 * shared by reference.
 *
 * A named key is kept alive by the registry here until it is deleted; a
 * key created with TASKLOCAL_KEY_FD is kept alive by its fd instead, and
 * dies when the last copy of that fd is closed. Either way it dies then,
 * not when the last call still using it drops its reference: from that
 * moment no call finds it by id (tl_key_get_by_id()), its name is free,
 * and its entries are stale in every table: the sweeper removes them
 * (sweep.c), or tables expunge them as they are used.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "internal.h"

/*
 * The registry of live user keys, all under tl_ukeys_lock, each kept so
 * that no call is slower with 65,536 keys than with ten:
 *  - tl_ukeys: every one, named or not (module unload);
 *  - tl_ukey_names: the named ones, by name (unique among them);
 *  - tl_ukey_users: how many each owner has, by uid: xa_mk_value(count),
 *    no entry for none.
 */
static LIST_HEAD(tl_ukeys);
static DEFINE_MUTEX(tl_ukeys_lock);
static struct rhashtable tl_ukey_names;
static DEFINE_XARRAY(tl_ukey_users);

/* A name is NUL-padded to its whole field: compared as 64 bytes. */
static const struct rhashtable_params tl_ukey_name_params = {
	.key_len		= TASKLOCAL_NAME_MAX,
	.key_offset		= offsetof(struct tl_ukey, name),
	.head_offset		= offsetof(struct tl_ukey, name_node),
	.automatic_shrinking	= true,
};

static unsigned long tl_ukey_user_keys(kuid_t uid)
{
	void *entry = xa_load(&tl_ukey_users, __kuid_val(uid));

	return entry ? xa_to_value(entry) : 0;
}

/*
 * With tl_ukeys_lock held: @uid has one key more (@delta 1) or less (-1).
 * Only a new count may need memory; giving one back cannot fail.
 */
static int tl_ukey_user_count(kuid_t uid, long delta)
{
	unsigned long n = tl_ukey_user_keys(uid) + delta;
	int err;

	lockdep_assert_held(&tl_ukeys_lock);
	if (!n) {
		xa_erase(&tl_ukey_users, __kuid_val(uid));
		return 0;
	}
	/* replacing an entry allocates nothing: a decrement cannot fail */
	err = xa_err(xa_store(&tl_ukey_users, __kuid_val(uid),
			      xa_mk_value(n), GFP_KERNEL_ACCOUNT));
	WARN_ON_ONCE(err && delta < 0);
	return err;
}

/**
 * tl_value_alloc() - copy a value in from userspace
 * @src: user pointer
 * @len: its length, at most max_value_size (checked by the caller)
 *
 * Return: the value holding one reference, or an ERR_PTR().
 */
struct tl_value *tl_value_alloc(const void __user *src, u32 len)
{
	/*
	 * May fail rather than OOM-kill the caller when its memory cgroup
	 * is full; large values from vmalloc, page by page, not from a
	 * kmalloc rounded up to twice their size.
	 */
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	struct tl_value *v;
	size_t size = struct_size(v, data, len);

	v = size > PAGE_SIZE ? __vmalloc(size, gfp) : kmalloc(size, gfp);

	if (!v)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(v->data, src, len)) {
		kvfree(v);
		return ERR_PTR(-EFAULT);
	}
	refcount_set(&v->ref, 1);
	v->len = len;
	atomic_long_add(len, &tl_stats.value_bytes);
	return v;
}

/* Any context: readers may still be copying it, so free after RCU. */
void tl_value_put(struct tl_value *v)
{
	if (refcount_dec_and_test(&v->ref)) {
		atomic_long_sub(v->len, &tl_stats.value_bytes);
		kvfree_rcu(v, rcu);
	}
}

static void tl_ukey_destroy_value(struct tasklocal_key *key, void *value)
{
	tl_value_put(value);
}

static void *tl_ukey_initial_value(struct tasklocal_key *key)
{
	return tl_value_get(tl_ukey_of(key)->initial);
}

/* Values are immutable: a child shares its parent's. */
static void *tl_ukey_child_value(struct tasklocal_key *key, void *value)
{
	return tl_value_get(value);
}

static const struct tasklocal_key_ops tl_ukey_ops = {
	.destroy = tl_ukey_destroy_value,
	.child = tl_ukey_child_value,
};

static const struct tasklocal_key_ops tl_ukey_initial_ops = {
	.initial = tl_ukey_initial_value,
	.destroy = tl_ukey_destroy_value,
	.child = tl_ukey_child_value,
};

/* With tl_ukeys_lock held: @uk's name, if it has one, is free again. */
static void tl_ukey_unname(struct tl_ukey *uk)
{
	lockdep_assert_held(&tl_ukeys_lock);
	if (uk->name[0])
		rhashtable_remove_fast(&tl_ukey_names, &uk->name_node,
				       tl_ukey_name_params);
}

/*
 * With tl_ukeys_lock held: the key dies now, whoever still holds a
 * reference. Its name is free for a new key at once.
 */
static void tl_ukey_kill_locked(struct tl_ukey *uk)
{
	lockdep_assert_held(&tl_ukeys_lock);
	tl_key_kill(&uk->key);
	if (!list_empty(&uk->node)) {
		list_del_init(&uk->node);
		tl_ukey_unname(uk);
		tl_ukey_user_count(uk->uid, -1);
		atomic_long_dec(&tl_stats.user_keys);
	}
}

static void tl_ukey_kill(struct tl_ukey *uk)
{
	mutex_lock(&tl_ukeys_lock);
	tl_ukey_kill_locked(uk);
	mutex_unlock(&tl_ukeys_lock);
}

/* The last strong reference went (an ioctl, an fd's release, unload). */
static void tl_ukey_released(struct tasklocal_key *key)
{
	might_sleep();
	tl_ukey_kill(tl_ukey_of(key));
}

/* The key's memory is about to go (after RCU): drop what it holds. */
static void tl_ukey_freed(struct tasklocal_key *key)
{
	struct tl_ukey *uk = tl_ukey_of(key);

	if (uk->initial)
		tl_value_put(uk->initial);
}

static void tl_ukey_info(struct tasklocal_key *key,
			 struct tasklocal_key_info *info)
{
	struct tl_ukey *uk = tl_ukey_of(key);

	info->flags |= uk->flags;
	if (uk->initial) {
		info->flags |= TASKLOCAL_KEY_HAS_INITIAL;
		info->initial_len = uk->initial->len;
	}
	info->uid = from_kuid_munged(current_user_ns(), uk->uid);
	info->mode = uk->mode;
	memcpy(info->name, uk->name, sizeof(info->name));
}

static const struct tl_key_owner_ops tl_ukey_owner_ops = {
	.released	= tl_ukey_released,
	.freed		= tl_ukey_freed,
	.info		= tl_ukey_info,
};

/* The last copy of an fd-owned key's fd is closed: the key dies. */
static int tl_key_file_release(struct inode *inode, struct file *file)
{
	struct tasklocal_key *key = file->private_data;

	if (key) {			/* NULL: creation failed */
		tl_ukey_kill(tl_ukey_of(key));
		tasklocal_key_put(key);
	}
	return 0;
}

static const struct file_operations tl_key_fops = {
	.owner		= THIS_MODULE,
	.release	= tl_key_file_release,
	.llseek		= noop_llseek,
};

/* [A-Za-z0-9_.:-] in ASCII: the kernel's isalnum() takes Latin-1 too. */
static bool tl_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
	       c == '-';
}

/*
 * A name is 1 to 63 bytes of [A-Za-z0-9_.:-], then NULs to the end of
 * the field. Returns its length, 0 for an all-zero (anonymous) field, or
 * -EINVAL.
 */
static int tl_name_check(const char *name)
{
	int len = strnlen(name, TASKLOCAL_NAME_MAX);
	int i;

	if (len == TASKLOCAL_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!tl_name_char(name[i]))
			return -EINVAL;
	for (i = len; i < TASKLOCAL_NAME_MAX; i++)
		if (name[i])
			return -EINVAL;
	return len;
}

/*
 * With tl_ukeys_lock held: enter @uk in the registry, if its owner may
 * add a key and its name is free. On failure nothing has changed.
 */
static int tl_ukey_register(struct tl_ukey *uk)
{
	int err;

	lockdep_assert_held(&tl_ukeys_lock);
	if (uk->name[0] &&
	    rhashtable_lookup_fast(&tl_ukey_names, uk->name,
				   tl_ukey_name_params))
		return -EEXIST;
	if (tl_ukey_user_keys(uk->uid) >= READ_ONCE(tl_max_user_keys))
		return -EDQUOT;
	if (atomic_long_read(&tl_stats.user_keys) >= READ_ONCE(tl_max_keys))
		return -ENOSPC;
	if (uk->name[0]) {
		err = rhashtable_insert_fast(&tl_ukey_names, &uk->name_node,
					     tl_ukey_name_params);
		/*
		 * The lock excludes a twin. -E2BIG: 2^31 names; -EBUSY: the
		 * table is being rehashed and its new one could not be had,
		 * memory short as far as the caller can tell.
		 */
		if (WARN_ON_ONCE(err == -EEXIST))
			return err;
		if (err)
			return err == -E2BIG ? -ENOSPC : -ENOMEM;
	}
	err = tl_ukey_user_count(uk->uid, 1);
	if (err)
		goto unname;
	err = tl_key_init(&uk->key, uk->initial ? &tl_ukey_initial_ops :
			  &tl_ukey_ops, NULL);
	if (err)
		goto uncount;
	list_add_tail(&uk->node, &tl_ukeys);
	atomic_long_inc(&tl_stats.user_keys);
	return 0;

uncount:
	tl_ukey_user_count(uk->uid, -1);
unname:
	tl_ukey_unname(uk);
	return err;
}

/**
 * tl_ukey_create() - TASKLOCAL_IOC_KEY_CREATE
 * @kc: the request, checked for flags and reserved fields; filled in
 * @reply: where the caller wants it back
 *
 * The reply is written before the key's fd is installed, and the key is
 * killed again if it cannot be: a call that fails leaves no key behind
 * and no fd the caller does not know of.
 *
 * Return: 0, or a negative errno with nothing created.
 */
int tl_ukey_create(struct tasklocal_key_create *kc,
		   struct tasklocal_key_create __user *reply)
{
	struct tl_value *initial = NULL;
	struct file *file = NULL;
	struct tl_ukey *uk;
	int err, fd = -1;
	char *name;

	name = (char *)kc->name;
	err = tl_name_check(name);
	if (err < 0)
		return err;
	if (!err && !(kc->flags & TASKLOCAL_KEY_FD))
		return -EINVAL;	/* nothing could ever delete it */
	if (kc->initial_len > READ_ONCE(tl_max_value_size))
		return -E2BIG;
	if (kc->initial_len) {
		initial = tl_value_alloc(u64_to_user_ptr(kc->initial),
					 kc->initial_len);
		if (IS_ERR(initial))
			return PTR_ERR(initial);
	}

	uk = kzalloc(sizeof(*uk), GFP_KERNEL_ACCOUNT);
	if (!uk) {
		err = -ENOMEM;
		goto put_initial;
	}
	uk->uid = current_euid();
	uk->flags = kc->flags;
	uk->mode = kc->flags & TASKLOCAL_KEY_MODE ? kc->mode :
						    TASKLOCAL_PERM_DEFAULT;
	uk->initial = initial;
	strscpy(uk->name, name, sizeof(uk->name));
	uk->key.user = true;
	uk->key.owner = &tl_ukey_owner_ops;
	uk->key.inherit = kc->flags & TASKLOCAL_KEY_INHERIT;
	INIT_LIST_HEAD(&uk->node);

	if (kc->flags & TASKLOCAL_KEY_FD) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			err = fd;
			goto free_ukey;
		}
		file = anon_inode_getfile("[tasklocal-key]", &tl_key_fops,
					  &uk->key, O_RDWR);
		if (IS_ERR(file)) {
			err = PTR_ERR(file);
			goto put_fd;
		}
	}

	mutex_lock(&tl_ukeys_lock);
	err = tl_ukey_register(uk);
	if (err) {
		mutex_unlock(&tl_ukeys_lock);
		goto put_file;
	}
	/*
	 * Once unlocked, another task may find the key by id and delete it,
	 * dropping the registry's reference: hold one of our own until the
	 * reply is written.
	 */
	kref_get(&uk->key.strong);
	kc->id = uk->key.id;
	kc->hash = uk->key.mk.hash;
	mutex_unlock(&tl_ukeys_lock);

	/* Its first strong reference now belongs to the fd or the registry. */
	kc->fd = file ? fd : -1;
	if (copy_to_user(reply, kc, sizeof(*kc))) {
		bool listed;

		mutex_lock(&tl_ukeys_lock);
		listed = !list_empty(&uk->node);   /* not deleted meanwhile */
		tl_ukey_kill_locked(uk);
		mutex_unlock(&tl_ukeys_lock);
		if (file) {
			fput(file);	/* drops the fd's reference */
			put_unused_fd(fd);
		} else if (listed) {
			tasklocal_key_put(&uk->key);	/* the registry's */
		}
		tasklocal_key_put(&uk->key);		/* ours */
		return -EFAULT;
	}
	if (file)
		fd_install(fd, file);
	tasklocal_key_put(&uk->key);
	return 0;

put_file:
	if (file) {
		file->private_data = NULL;
		fput(file);
	}
put_fd:
	if (fd >= 0)
		put_unused_fd(fd);
free_ukey:
	/* never found by a lookup: those take tl_ukeys_lock, as the undo did */
	kfree(uk);
put_initial:
	if (initial)
		tl_value_put(initial);
	return err;
}

/**
 * tl_ukey_get() - a strong reference to a live userspace key, by id
 * @id: the id
 *
 * Return: the key, or NULL (no such live key, or a kernel key).
 */
struct tl_ukey *tl_ukey_get(u64 id)
{
	struct tasklocal_key *key = tl_key_get_by_id(id);

	if (key && !key->user) {
		tasklocal_key_put(key);
		key = NULL;
	}
	return key ? tl_ukey_of(key) : NULL;
}

/**
 * tl_ukey_may() - may the caller do @perm with @uk?
 * @uk: the key
 * @perm: one TASKLOCAL_PERM_*
 *
 * Its owner (by effective uid) may do everything, others what its mode
 * grants, and a caller with CAP_SYS_ADMIN everything (asked last: a
 * capability check may be audited).
 *
 * Return: true if it may.
 */
bool tl_ukey_may(struct tl_ukey *uk, u32 perm)
{
	return uid_eq(uk->uid, current_euid()) || (uk->mode & perm) ||
	       capable(CAP_SYS_ADMIN);
}

/**
 * tl_ukey_delete() - TASKLOCAL_IOC_KEY_DELETE: kill a registry-owned key
 * @id: its id
 *
 * The key is dead, and its name free, when this returns, even if calls
 * that found it before still hold references.
 *
 * Return: 0, -ENOENT, -EPERM or -EINVAL (an fd owns it).
 */
int tl_ukey_delete(u64 id)
{
	struct tl_ukey *uk = tl_ukey_get(id);
	int err = 0;

	if (!uk)
		return -ENOENT;
	mutex_lock(&tl_ukeys_lock);
	if (uk->flags & TASKLOCAL_KEY_FD)
		err = -EINVAL;
	else if (!tl_ukey_may(uk, TASKLOCAL_PERM_DELETE))
		err = -EPERM;
	else if (list_empty(&uk->node))
		err = -ENOENT;	/* deleted meanwhile */
	else
		tl_ukey_kill_locked(uk);	/* no second delete gets here */
	mutex_unlock(&tl_ukeys_lock);
	if (!err)
		tasklocal_key_put(&uk->key);	/* the registry's */
	tasklocal_key_put(&uk->key);		/* ours */
	return err;
}

/**
 * tl_ukey_find() - TASKLOCAL_IOC_KEY_FIND: describe the live key named @name
 * @name: TASKLOCAL_NAME_MAX bytes, checked here
 * @info: filled in
 *
 * Return: 0, -ENOENT or -EINVAL.
 */
int tl_ukey_find(const char *name, struct tasklocal_key_info *info)
{
	struct tl_ukey *uk;
	int err = tl_name_check(name);

	if (err <= 0)
		return -EINVAL;	/* an anonymous key has no name to find */
	mutex_lock(&tl_ukeys_lock);
	/* listed, so alive: the registry's reference keeps it so meanwhile */
	uk = rhashtable_lookup_fast(&tl_ukey_names, name, tl_ukey_name_params);
	if (uk)
		tl_key_info(&uk->key, info);
	mutex_unlock(&tl_ukeys_lock);
	return uk ? 0 : -ENOENT;
}

int tl_ukeys_init(void)
{
	return rhashtable_init(&tl_ukey_names, &tl_ukey_name_params);
}

/* Module unload: drop the registry's references; the keys die. */
void tl_ukeys_exit(void)
{
	struct tl_ukey *uk;

	for (;;) {
		mutex_lock(&tl_ukeys_lock);
		uk = list_first_entry_or_null(&tl_ukeys, struct tl_ukey, node);
		mutex_unlock(&tl_ukeys_lock);
		if (!uk)
			break;
		tl_ukey_kill(uk);		/* leaves the list and the indexes */
		/*
		 * Nothing else can hold a reference: fds and ioctls pin the
		 * module. Were one held, leak the key rather than free it.
		 */
		if (!WARN_ON_ONCE(kref_read(&uk->key.strong) != 1))
			tasklocal_key_put(&uk->key);
	}
	rhashtable_destroy(&tl_ukey_names);
	WARN_ON_ONCE(!xa_empty(&tl_ukey_users));
	xa_destroy(&tl_ukey_users);
}
