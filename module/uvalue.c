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

/*
 * Copy @v out to the caller; -ERANGE with uv->len set if it is short.
 * The bounds are the value's own length, checked against the room the
 * caller gave, so the copy skips hardened usercopy's object lookup: GET
 * is a hot path.
 */
static int tl_uvalue_copy_out(struct tasklocal_value *uv, struct tl_value *v)
{
	void __user *dst = u64_to_user_ptr(uv->value);
	u32 room = uv->len;

	uv->len = v->len;
	if (v->len > room)
		return -ERANGE;
	if (!user_access_begin(dst, v->len))
		return -EFAULT;
	unsafe_copy_to_user(dst, v->data, v->len, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * GET's fast path: a value the caller's table holds, found under RCU and
 * copied out without taking references. Entries of userspace keys leave
 * a table only through its own task (set, remove, expunge, clear, exit),
 * which is busy here, so the value stays put. -EAGAIN: take the slow path
 * (no such live userspace key, or no value yet: the initial value).
 */
static int tl_uvalue_get_fast(struct tasklocal_value *uv)
{
	struct tasklocal_key *key;
	struct tl_value *v = NULL;
	bool found = false;

	rcu_read_lock();
	key = tl_key_find_rcu(uv->key_id);
	if (key && key->user && !tlmap_key_dead(&key->mk))
		v = tl_get_current(key, &found);
	rcu_read_unlock();
	if (!found)
		return -EAGAIN;
	return tl_uvalue_copy_out(uv, v);
}

int tl_uvalue_get(struct tasklocal_value *uv)
{
	struct tl_value *v;
	struct tl_ukey *uk;
	int err;

	err = tl_uvalue_get_fast(uv);
	if (err != -EAGAIN)
		return err;
	uk = tl_ukey_get(uv->key_id);
	if (!uk)
		return -ENOENT;
	v = tl_uvalue_lookup(uk, &uv->flags);
	if (IS_ERR(v)) {
		err = PTR_ERR(v);
		goto put_key;
	}
	err = tl_uvalue_copy_out(uv, v);
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
