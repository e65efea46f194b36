// SPDX-License-Identifier: GPL-2.0-only
/*
 * The caller's own table, from userspace: set, get, remove, clear, for
 * keys made from userspace. Kernel keys' values are kernel pointers:
 * userspace never sees or changes them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/uaccess.h>

#include "internal.h"

int tl_uvalue_set(struct tasklocal_value *uv)
{
	struct tl_value *v;
	struct tl_ukey *uk;
	int err;

	if (uv->len > READ_ONCE(tl_max_value_size))
		return -E2BIG;
	uk = tl_ukey_get(uv->key_id);
	if (!uk)
		return -ENOENT;
	v = tl_value_alloc(u64_to_user_ptr(uv->value), uv->len);
	if (IS_ERR(v)) {
		err = PTR_ERR(v);
		goto put_key;
	}
	err = tl_set(&uk->key, v, GFP_KERNEL_ACCOUNT,
		     uv->flags | TL_SET_LIMITED);
	if (err)
		tl_value_put(v);
put_key:
	tasklocal_key_put(&uk->key);
	return err;
}

/*
 * The caller's value for @uk, with a reference, storing the initial value
 * on a miss (Java's setInitialValue()).
 */
static struct tl_value *tl_uvalue_lookup(struct tl_ukey *uk, u32 *flags)
{
	struct tl_value *v;
	bool found;
	int err;

	v = tl_get_current(&uk->key, &found);
	if (found) {
		/* only this task removes its entries: v stays alive */
		refcount_inc(&v->ref);
		return v;
	}
	if (!uk->initial)
		return ERR_PTR(-ENODATA);
	v = uk->initial;
	refcount_inc(&v->ref);		/* the table's */
	err = tl_set(&uk->key, v, GFP_KERNEL_ACCOUNT, TL_SET_LIMITED);
	if (err) {
		tl_value_put(v);
		return ERR_PTR(err);
	}
	refcount_inc(&v->ref);		/* ours */
	*flags |= TASKLOCAL_GET_INITIAL;
	return v;
}

/* Returns -ERANGE with uv->len set when the caller's buffer is short. */
int tl_uvalue_get(struct tasklocal_value *uv)
{
	struct tl_value *v;
	struct tl_ukey *uk;
	int err = 0;

	uk = tl_ukey_get(uv->key_id);
	if (!uk)
		return -ENOENT;
	v = tl_uvalue_lookup(uk, &uv->flags);
	if (IS_ERR(v)) {
		err = PTR_ERR(v);
		goto put_key;
	}
	if (v->len > uv->len)
		err = -ERANGE;
	else if (copy_to_user(u64_to_user_ptr(uv->value), v->data, v->len))
		err = -EFAULT;
	uv->len = v->len;
	tl_value_put(v);
put_key:
	tasklocal_key_put(&uk->key);
	return err;
}

int tl_uvalue_remove(struct tasklocal_value *uv)
{
	struct tl_ukey *uk = tl_ukey_get(uv->key_id);
	bool removed;

	if (!uk)
		return -ENOENT;
	removed = tasklocal_remove(&uk->key);
	tasklocal_key_put(&uk->key);
	return removed ? 0 : -ENODATA;
}

static bool tl_entry_is_user(const struct tlmap_entry *e, void *arg)
{
	return tl_key_of(e->key)->user;
}

int tl_uvalue_clear(struct tasklocal_clear *uc)
{
	struct tl_table *t;

	uc->removed = 0;
	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	if (!t)
		return 0;
	tl_table_lock(t);
	uc->removed = tlmap_remove_if(&t->map, tl_entry_is_user, NULL);
	tl_table_unlock(t);
	return 0;
}
