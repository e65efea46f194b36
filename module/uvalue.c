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
	err = -EACCES;
	if (!tl_ukey_may(uk, TASKLOCAL_PERM_SET))
		goto put_key;
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
 * The caller's value for @uk, with a reference taken under RCU: another
 * task may remove the entry meanwhile (a CLEAR by pid, the sweeper or an
 * expunge of a dead key's run) and drop the value's last reference. Then
 * the entry is gone: look again, as the call would have found it after.
 */
static struct tl_value *tl_uvalue_find(struct tl_ukey *uk)
{
	struct tl_value *v;
	bool found;

	rcu_read_lock();
	for (;;) {
		v = tl_get_current(&uk->key, &found);
		if (!found) {
			v = NULL;
			break;
		}
		if (refcount_inc_not_zero(&v->ref))
			break;
		if (tlmap_key_dead(&uk->key.mk)) {
			v = ERR_PTR(-ENOENT);	/* the key died, its entry went */
			break;
		}
		/* removed before its last put: the next lookup misses it */
		smp_rmb();
	}
	rcu_read_unlock();
	return v;
}

/*
 * Copy @v out to the caller; -ERANGE with uv->len set if it is short.
 * The bounds are the value's own length, checked against the room the
 * caller gave, so the copy skips hardened usercopy's object lookup: GET
 * is a hot path. With @nofault, page faults are not taken (the caller is
 * in an RCU read section) and any fault gives -EFAULT.
 */
static int tl_uvalue_copy_out(struct tasklocal_value *uv, struct tl_value *v,
			      bool nofault)
{
	void __user *dst = u64_to_user_ptr(uv->value);
	u32 room = uv->len;
	int err = 0;

	uv->len = v->len;
	if (v->len > room)
		return -ERANGE;
	if (nofault)
		pagefault_disable();
	if (!user_access_begin(dst, v->len)) {
		err = -EFAULT;
		goto out;
	}
	unsafe_copy_to_user(dst, v->data, v->len, efault);
	user_access_end();
out:
	if (nofault)
		pagefault_enable();
	return err;
efault:
	user_access_end();
	err = -EFAULT;
	goto out;
}

/* Values up to this size are copied out under RCU by GET's fast path. */
#define TL_GET_FAST_MAX		4096

/*
 * GET's fast path: a value the caller's table holds, found and copied out
 * under RCU without taking references, page faults not taken. -EAGAIN:
 * take the slow path (no such live userspace key, no value yet, a large
 * value, or the copy would fault).
 */
static int tl_uvalue_get_fast(struct tasklocal_value *uv)
{
	struct tasklocal_key *key;
	struct tl_value *v;
	bool found = false;
	u32 room = uv->len;
	int err = -EAGAIN;

	rcu_read_lock();
	key = tl_key_find_rcu(uv->key_id);
	if (key && key->user && !tlmap_key_dead(&key->mk)) {
		v = tl_get_current(key, &found);
		if (found && v->len <= TL_GET_FAST_MAX)
			err = tl_uvalue_copy_out(uv, v, true);
	}
	rcu_read_unlock();
	if (err == -EFAULT) {
		uv->len = room;	/* retried, faults allowed */
		err = -EAGAIN;
	}
	return err;
}

/*
 * No value: hand out the initial value, stored as the caller's value
 * (Java's setInitialValue()) unless the table is at max_entries, where
 * it is returned unstored, as Java's get() would return it. Nothing is
 * stored unless the value and the reply could be written.
 */
static int tl_uvalue_get_initial(struct tl_ukey *uk, struct tasklocal_value *uv,
				 struct tasklocal_value __user *reply)
{
	struct tl_value *v = uk->initial;
	int err;

	if (!v)
		return -ENODATA;
	err = tl_uvalue_copy_out(uv, v, false);
	if (err)
		return err;
	/* uv->flags is 0 here (checked): rewriting it tests the reply */
	if (put_user(uv->flags, &reply->flags))
		return -EFAULT;
	err = tl_set(&uk->key, tl_value_get(v), GFP_KERNEL_ACCOUNT,
		     TL_SET_LIMITED);
	if (err)
		tl_value_put(v);
	if (err == -ENOSPC) {
		uv->flags |= TASKLOCAL_GET_INITIAL | TASKLOCAL_GET_UNSTORED;
		return 0;
	}
	if (!err)
		uv->flags |= TASKLOCAL_GET_INITIAL;
	return err;
}

/**
 * tl_uvalue_get() - TASKLOCAL_IOC_GET
 * @uv: the request, checked; @uv->flags and @uv->len are the reply
 * @reply: the caller's structure, where those two are written
 *
 * Return: 0 or a negative errno (-ERANGE with the length needed written).
 */
int tl_uvalue_get(struct tasklocal_value *uv,
		  struct tasklocal_value __user *reply)
{
	struct tl_value *v;
	struct tl_ukey *uk;
	int err;

	err = tl_uvalue_get_fast(uv);
	if (err != -EAGAIN)
		goto reply;
	uk = tl_ukey_get(uv->key_id);
	if (!uk)
		return -ENOENT;
	v = tl_uvalue_find(uk);
	if (IS_ERR(v)) {
		err = PTR_ERR(v);
	} else if (v) {
		err = tl_uvalue_copy_out(uv, v, false);
		tl_value_put(v);
	} else {
		err = tl_uvalue_get_initial(uk, uv, reply);
	}
	tasklocal_key_put(&uk->key);
reply:
	if ((!err || err == -ERANGE) &&
	    (put_user(uv->flags, &reply->flags) ||
	     put_user(uv->len, &reply->len)))
		err = -EFAULT;
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

/**
 * tl_uvalue_clear() - TASKLOCAL_IOC_CLEAR
 * @uc: the request, checked; @uc->removed is the reply
 * @reply: the caller's structure, tested writable before anything goes
 *
 * Return: 0 or -EFAULT, with the table unchanged.
 */
int tl_uvalue_clear(struct tasklocal_clear *uc,
		    struct tasklocal_clear __user *reply)
{
	struct tl_table *t;

	uc->removed = 0;
	if (put_user(uc->removed, &reply->removed))
		return -EFAULT;
	rcu_read_lock();
	t = tl_table_current();
	rcu_read_unlock();
	if (t)
		uc->removed = tl_table_clear_user(t, NULL);
	return 0;
}
