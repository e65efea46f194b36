// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/tasklocal: the ioctl interface for userspace.
 *
 * Each command's structure is copied in once with copy_struct_from_user()
 * (so a structure may grow at its end), checked for unknown flags and
 * non-zero reserved fields, handed to the file that does the work, and
 * copied back out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/* The ABI: fixed sizes, multiples of 8 (see the uapi header). */
static_assert(sizeof(struct tasklocal_version) == 72);
static_assert(sizeof(struct tasklocal_key_create) == 112);
static_assert(sizeof(struct tasklocal_key_delete) == 16);
static_assert(sizeof(struct tasklocal_key_info) == 104);	/* 96 up to 0.5 */
static_assert(offsetof(struct tasklocal_key_info, death_time) ==
	      TASKLOCAL_KEY_INFO_SIZE_VER0);
static_assert(sizeof(struct tasklocal_key_list) == 48);	/* 40 up to 0.5 */
static_assert(sizeof(struct tasklocal_key_find) == 88);
static_assert(sizeof(struct tasklocal_value) == 32);
static_assert(sizeof(struct tasklocal_clear) == 24);	/* 8 up to API 0.4 */
static_assert(sizeof(struct tasklocal_slot) == 104);
static_assert(sizeof(struct tasklocal_table_dump) == 104);
static_assert(sizeof(struct tasklocal_task_info) == 40);
static_assert(sizeof(struct tasklocal_table_list) == 24);
static_assert(sizeof(struct tasklocal_stats) == 128);

#define TL_KEY_LIST_MAX		4096	/* keys returned per call */

static bool tl_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static long tl_ioc_version(struct tasklocal_version *v)
{
	v->api_major = TASKLOCAL_API_MAJOR;
	v->api_minor = TASKLOCAL_API_MINOR;
	v->features = TASKLOCAL_FEATURE_EXIT_HOOK | TASKLOCAL_FEATURE_INHERIT |
		      TASKLOCAL_FEATURE_PIDFD | TASKLOCAL_FEATURE_KEY_MODE |
		      TASKLOCAL_FEATURE_SECURE_EXEC | TASKLOCAL_FEATURE_SWEEP |
		      TASKLOCAL_FEATURE_CLEAR_TASK | TASKLOCAL_FEATURE_DEATH_TIME |
		      TASKLOCAL_FEATURE_KEY_FIND;
	v->max_value_size = READ_ONCE(tl_max_value_size);
	v->max_entries = READ_ONCE(tl_max_entries);
	v->max_user_keys = READ_ONCE(tl_max_user_keys);
	v->max_keys = READ_ONCE(tl_max_keys);
	v->map_initial_len = TLMAP_INITIAL_LEN;
	v->hash_increment = TLMAP_HASH_INCREMENT;
	return 0;
}

static long tl_ioc_key_create(struct tasklocal_key_create *kc,
			      void __user *uarg)
{
	if (kc->flags & ~TASKLOCAL_KEY_CREATE_MASK || kc->reserved0 ||
	    kc->reserved ||
	    kc->mode & ~(kc->flags & TASKLOCAL_KEY_MODE ?
			 TASKLOCAL_PERM_MASK : 0))
		return -EINVAL;
	return tl_ukey_create(kc, uarg);
}

static long tl_ioc_key_delete(struct tasklocal_key_delete *kd)
{
	if (kd->flags || kd->reserved)
		return -EINVAL;
	return tl_ukey_delete(kd->id);
}

/*
 * Copy @n keys out to @ukeys, elements of @usize bytes: this ABI's
 * struct tasklocal_key_info cut to @usize (an older caller's) or padded
 * with zeroes (a newer caller's).
 */
static int tl_key_info_copy(void __user *ukeys, u32 usize,
			    const struct tasklocal_key_info *info, u32 n)
{
	size_t fill = min_t(size_t, usize, sizeof(*info));
	u32 i;

	if (usize == sizeof(*info))
		return copy_to_user(ukeys, info, n * sizeof(*info)) ?
			-EFAULT : 0;
	for (i = 0; i < n; i++, ukeys += usize) {
		if (copy_to_user(ukeys, &info[i], fill) ||
		    clear_user(ukeys + fill, usize - fill))
			return -EFAULT;
	}
	return 0;
}

/* An element size of KEY_LIST or KEY_FIND: see struct tasklocal_key_list */
static bool tl_key_info_size_valid(u32 isize)
{
	return isize >= TASKLOCAL_KEY_INFO_SIZE_VER0 &&
	       isize <= TASKLOCAL_KEY_INFO_SIZE_MAX && !(isize % 8);
}

/*
 * @usize: the caller's structure's size: 40 for a caller of 0.5, whose
 * elements are 96 bytes; none between that and this ABI's 48.
 */
static long tl_ioc_key_list(struct tasklocal_key_list *kl, size_t usize)
{
	struct tasklocal_key_info *info = NULL;
	u32 room = min_t(u32, kl->count, TL_KEY_LIST_MAX);
	u32 isize = kl->info_size;
	long err = 0;

	if (usize < sizeof(*kl)) {
		if (usize != TASKLOCAL_KEY_LIST_SIZE_VER0)
			return -EINVAL;
		isize = TASKLOCAL_KEY_INFO_SIZE_VER0;
	}
	if (kl->reserved || kl->reserved1 || !tl_key_info_size_valid(isize))
		return -EINVAL;
	if (room) {
		info = kvcalloc(room, sizeof(*info), GFP_KERNEL);
		if (!info)
			return -ENOMEM;
	}
	kl->count = tl_keys_list(info, room, kl->start_id, &kl->next_id,
				 &kl->total);
	err = tl_key_info_copy(u64_to_user_ptr(kl->keys), isize, info,
			       kl->count);
	kvfree(info);
	return err;
}

static long tl_ioc_key_find(struct tasklocal_key_find *kf)
{
	struct tasklocal_key_info info;
	long err;

	if (kf->flags || kf->reserved || !tl_key_info_size_valid(kf->info_size))
		return -EINVAL;
	err = tl_ukey_find((const char *)kf->name, &info);
	if (err)
		return err;
	return tl_key_info_copy(u64_to_user_ptr(kf->info), kf->info_size,
				&info, 1);
}

static long tl_ioc_value(unsigned int nr, struct tasklocal_value *uv,
			 void __user *uarg)
{
	if (uv->reserved)
		return -EINVAL;
	switch (nr) {
	case _IOC_NR(TASKLOCAL_IOC_SET):
		if (uv->flags & ~TASKLOCAL_SET_MASK ||
		    (uv->flags & TASKLOCAL_SET_MASK) == TASKLOCAL_SET_MASK)
			return -EINVAL;
		return tl_uvalue_set(uv);
	case _IOC_NR(TASKLOCAL_IOC_GET):
		if (uv->flags)
			return -EINVAL;
		return tl_uvalue_get(uv, uarg);
	default:	/* REMOVE */
		if (uv->flags || uv->len || uv->value)
			return -EINVAL;
		return tl_uvalue_remove(uv);
	}
}

static long tl_ioc_clear(struct tasklocal_clear *uc, void __user *uarg)
{
	u32 who = uc->flags & (TASKLOCAL_CLEAR_PID | TASKLOCAL_CLEAR_PIDFD);

	if (uc->flags & ~TASKLOCAL_CLEAR_MASK ||
	    who == (TASKLOCAL_CLEAR_PID | TASKLOCAL_CLEAR_PIDFD) ||
	    (!who && uc->target) || uc->reserved ||
	    (!(uc->flags & TASKLOCAL_CLEAR_KEY) && uc->key_id))
		return -EINVAL;
	if (uc->flags)
		return tl_reclaim_clear(uc, uarg);
	return tl_uvalue_clear(uc, uarg);
}

static long tl_ioc_table_dump(struct tasklocal_table_dump *d)
{
	u32 who = d->flags & (TASKLOCAL_DUMP_PID | TASKLOCAL_DUMP_PIDFD);

	if (d->flags & ~TASKLOCAL_DUMP_MASK ||
	    who == (TASKLOCAL_DUMP_PID | TASKLOCAL_DUMP_PIDFD) ||
	    (!who && d->target) || d->reserved0 ||
	    !tl_zero(d->reserved, sizeof(d->reserved)))
		return -EINVAL;
	return tl_inspect_dump(d);
}

static long tl_ioc_table_list(struct tasklocal_table_list *l)
{
	if (l->flags || l->reserved)
		return -EINVAL;
	return tl_inspect_list(l);
}

union tl_ioc_arg {
	struct tasklocal_version version;
	struct tasklocal_key_create key_create;
	struct tasklocal_key_delete key_delete;
	struct tasklocal_key_list key_list;
	struct tasklocal_key_find key_find;
	struct tasklocal_value value;
	struct tasklocal_clear clear;
	struct tasklocal_table_dump dump;
	struct tasklocal_table_list list;
	struct tasklocal_stats stats;
};

/*
 * This version's definition of @cmd, matched by number and direction, or
 * 0 if @cmd is not one of ours. Its size field is the size of the
 * command's structure in this ABI: a caller's may be larger (a newer ABI)
 * but not smaller than the command's first (tl_ioc_first_size()).
 */
static unsigned int tl_ioc_lookup(unsigned int cmd)
{
	static const unsigned int cmds[] = {
		TASKLOCAL_IOC_VERSION, TASKLOCAL_IOC_KEY_CREATE,
		TASKLOCAL_IOC_KEY_DELETE, TASKLOCAL_IOC_KEY_LIST,
		TASKLOCAL_IOC_KEY_FIND,
		TASKLOCAL_IOC_SET, TASKLOCAL_IOC_GET, TASKLOCAL_IOC_REMOVE,
		TASKLOCAL_IOC_CLEAR, TASKLOCAL_IOC_TABLE_DUMP,
		TASKLOCAL_IOC_TABLE_LIST, TASKLOCAL_IOC_STATS,
	};
	unsigned int i;

	if (_IOC_TYPE(cmd) != TASKLOCAL_IOC_MAGIC)
		return 0;
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (_IOC_NR(cmds[i]) == _IOC_NR(cmd) &&
		    _IOC_DIR(cmds[i]) == _IOC_DIR(cmd))
			return cmds[i];
	return 0;
}

/*
 * The size of @def's structure in the first ABI that had it: a program
 * built then passes that, and the fields added since read as zero.
 */
static size_t tl_ioc_first_size(unsigned int def)
{
	switch (def) {
	case TASKLOCAL_IOC_CLEAR:
		return TASKLOCAL_CLEAR_SIZE_VER0;
	case TASKLOCAL_IOC_KEY_LIST:
		return TASKLOCAL_KEY_LIST_SIZE_VER0;
	default:
		return _IOC_SIZE(def);
	}
}

/*
 * GET is the call programs make on their hot paths, so it has a path of
 * its own: its structure is exactly this ABI's size (a larger one would
 * be another command number, for the generic path), it is copied in with
 * a fixed size, and only the two fields GET changes are written back
 * (by tl_uvalue_get(), which must write them before it stores anything).
 */
static long tl_ioc_get(struct tasklocal_value __user *uarg)
{
	struct tasklocal_value uv;

	if (copy_from_user(&uv, uarg, sizeof(uv)))
		return -EFAULT;
	if (uv.flags || uv.reserved)
		return -EINVAL;
	return tl_uvalue_get(&uv, uarg);
}

static long tl_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t usize = _IOC_SIZE(cmd);
	unsigned int def;
	union tl_ioc_arg a;
	size_t ksize;
	long ret;

	if (cmd == TASKLOCAL_IOC_GET)
		return tl_ioc_get(uarg);
	def = tl_ioc_lookup(cmd);
	if (!def)
		return -ENOTTY;
	ksize = _IOC_SIZE(def);
	/* structures smaller than the command's first are not ABI */
	if (usize < tl_ioc_first_size(def))
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	if (_IOC_DIR(cmd) & _IOC_WRITE) {
		ret = copy_struct_from_user(&a, ksize, uarg, usize);
		if (ret)
			return ret;
	}

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(TASKLOCAL_IOC_VERSION):
		ret = tl_ioc_version(&a.version);
		break;
	case _IOC_NR(TASKLOCAL_IOC_KEY_CREATE):
		/* writes its reply itself, before the key's fd exists */
		ret = tl_ioc_key_create(&a.key_create, uarg);
		break;
	case _IOC_NR(TASKLOCAL_IOC_KEY_DELETE):
		ret = tl_ioc_key_delete(&a.key_delete);
		break;
	case _IOC_NR(TASKLOCAL_IOC_KEY_LIST):
		ret = tl_ioc_key_list(&a.key_list, usize);
		break;
	case _IOC_NR(TASKLOCAL_IOC_KEY_FIND):
		ret = tl_ioc_key_find(&a.key_find);
		break;
	case _IOC_NR(TASKLOCAL_IOC_CLEAR):
		/* API 0.4's structure has no room for a target or a key */
		if (usize < sizeof(a.clear) && a.clear.flags)
			ret = -EINVAL;
		else
			ret = tl_ioc_clear(&a.clear, uarg);
		break;
	case _IOC_NR(TASKLOCAL_IOC_TABLE_DUMP):
		ret = tl_ioc_table_dump(&a.dump);
		break;
	case _IOC_NR(TASKLOCAL_IOC_TABLE_LIST):
		ret = tl_ioc_table_list(&a.list);
		break;
	case _IOC_NR(TASKLOCAL_IOC_STATS):
		ret = tl_stats_read(&a.stats);
		break;
	default:	/* SET, GET, REMOVE */
		ret = tl_ioc_value(_IOC_NR(cmd), &a.value, uarg);
		break;
	}

	/* ERANGE tells the caller the size it needs: copy that out too. */
	if ((!ret || ret == -ERANGE) && (_IOC_DIR(cmd) & _IOC_READ) &&
	    _IOC_NR(cmd) != _IOC_NR(TASKLOCAL_IOC_KEY_CREATE) &&
	    copy_to_user(uarg, &a, min(ksize, usize)))
		ret = -EFAULT;
	return ret;
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
