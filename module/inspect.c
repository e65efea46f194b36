// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading tables: the caller's, or another task's with the rights ptrace
 * would need; listing the tables of the tasks the caller could read. A
 * table is read under RCU without its lock, retrying on its seqcount
 * until the snapshot was taken while nothing changed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "internal.h"

#define TL_SNAPSHOT_TRIES	1000

/*
 * What ptrace_may_access(PTRACE_MODE_REALCREDS) grants without a
 * capability: the caller's own thread group; or a task whose uids and
 * gids all match the caller's real ones, whose permitted capabilities
 * the caller's include (in the same user namespace: commoncap's check),
 * and which is dumpable (or has no mm: a zombie). The LSM's ptrace hook
 * (Yama's ptrace_scope included) is not asked: no exported path reaches
 * it (docs/SECURITY.md).
 */
static bool tl_may_read_unprivileged(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool same_user;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	same_user = uid_eq(cred->uid, tcred->euid) &&
		    uid_eq(cred->uid, tcred->suid) &&
		    uid_eq(cred->uid, tcred->uid) &&
		    gid_eq(cred->gid, tcred->egid) &&
		    gid_eq(cred->gid, tcred->sgid) &&
		    gid_eq(cred->gid, tcred->gid) &&
		    cred->user_ns == tcred->user_ns &&
		    cap_issubset(tcred->cap_permitted, cred->cap_permitted);
	rcu_read_unlock();
	if (!same_user)
		return false;
	task_lock(task);
	mm = task->mm;
	same_user = !mm || get_dumpable(mm) == SUID_DUMP_USER;
	task_unlock(task);
	return same_user;
}

/**
 * tl_may_inspect() - may the caller read @task's table, or clear it?
 * @task: the task
 *
 * ptrace's checks of the credentials, dumpability and capabilities (the
 * same for its read and attach modes), or CAP_SYS_PTRACE; not the LSM's.
 * Call with @task's exec_update_lock held, so that no execve() changes
 * them before the caller is done.
 *
 * Return: 0 or -EPERM.
 */
static int tl_may_inspect(struct task_struct *task)
{
	if (tl_may_read_unprivileged(task) || capable(CAP_SYS_PTRACE))
		return 0;
	return -EPERM;
}

/**
 * tl_task_by() - the task a pid or a pidfd names, or current
 * @pidfd: @target is a pidfd
 * @pid: @target is a pid, in the caller's pid namespace
 * @target: the pid or pidfd
 *
 * Return: the task, with a reference; ERR_PTR(-EBADF) for an fd that is
 * no pidfd, ERR_PTR(-ESRCH) if no task is there.
 */
static struct task_struct *tl_task_by(bool pidfd, bool pid, s32 target)
{
	struct task_struct *task;
	struct pid *p;
	struct fd f;

	if (pidfd) {
		f = fdget(target);
		if (!fd_file(f))
			return ERR_PTR(-EBADF);
		p = tl_pidfd_pid(fd_file(f));
		task = IS_ERR(p) ? ERR_CAST(p) : get_pid_task(p, PIDTYPE_PID);
		fdput(f);
	} else if (pid) {
		if (target <= 0)
			return ERR_PTR(-ESRCH);
		p = find_get_pid(target);
		task = get_pid_task(p, PIDTYPE_PID);
		put_pid(p);
	} else {
		task = get_task_struct(current);
	}
	return task ?: ERR_PTR(-ESRCH);
}

/**
 * tl_task_access() - the task a pid or pidfd names, if the caller may
 *	read its table or clear it
 * @pidfd: @target is a pidfd
 * @pid: @target is a pid; neither: the caller itself
 * @target: the pid or pidfd
 *
 * As /proc/PID/environ and ptrace: the rights are checked with the
 * target's exec_update_lock held, and the caller keeps it for reading
 * until it is done, so that no execve() of the target comes in between
 * (its credentials and dumpability change there, after which its values
 * may be a privileged program's).
 *
 * Return: the task, with a reference and its exec_update_lock held for
 * reading (the caller releases both); or ERR_PTR(-ESRCH, -EBADF, -EPERM
 * or -EINTR).
 */
struct task_struct *tl_task_access(bool pidfd, bool pid, s32 target)
{
	struct task_struct *task = tl_task_by(pidfd, pid, target);
	int err;

	if (IS_ERR(task))
		return task;
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		goto put_task;
	err = tl_may_inspect(task);
	if (!err)
		return task;
	up_read(&task->signal->exec_update_lock);
put_task:
	put_task_struct(task);
	return ERR_PTR(err);
}

/* One table, copied out: slot descriptions and references to values. */
struct tl_snapshot {
	struct tasklocal_table_dump head;
	struct tasklocal_slot *slots;
	struct tl_value **values;	/* per slot, or NULL */
	unsigned int room;		/* slots and values allocated */
	unsigned int n;			/* occupied slots */
	bool read_all;			/* whatever the keys' modes say */
};

static void tl_snapshot_put_values(struct tl_snapshot *sn)
{
	unsigned int i;

	for (i = 0; i < sn->n; i++)
		if (sn->values[i])
			tl_value_put(sn->values[i]);
	sn->n = 0;
}

static void tl_slot_describe(struct tasklocal_slot *slot, unsigned int i,
			     unsigned int len, struct tlmap_entry *e)
{
	struct tasklocal_key *key = tl_key_of(e->key);
	struct tl_ukey *uk = tl_ukey_of(key);

	memset(slot, 0, sizeof(*slot));
	slot->index = i;
	slot->home = key->mk.hash & (len - 1);
	slot->key_id = key->id;
	slot->hash = key->mk.hash;
	if (tlmap_entry_stale(e))
		slot->flags |= TASKLOCAL_SLOT_STALE;
	if (uk) {
		slot->value_len = ((struct tl_value *)e->value)->len;
		memcpy(slot->name, uk->name, sizeof(slot->name));
	} else {
		slot->flags |= TASKLOCAL_SLOT_KERNEL;
	}
}

/* May the caller see the bytes of values under @uk? By the key's mode. */
static bool tl_snapshot_may_read(struct tl_snapshot *sn, struct tl_ukey *uk)
{
	return sn->read_all || (uk->mode & TASKLOCAL_PERM_READ) ||
	       uid_eq(uk->uid, current_euid());
}

/*
 * Under RCU: copy the table once, or return -EAGAIN if it changed
 * meanwhile, or -ENOSPC (with sn->head.len set) if sn->room is too small.
 */
static int tl_snapshot_once(struct tl_table *t, struct tl_snapshot *sn,
			    bool values)
{
	struct tasklocal_table_dump *h = &sn->head;
	struct tlmap_slots *s;
	struct tlmap_entry *e;
	unsigned int seq, i;
	struct tl_value *v;
	struct tl_ukey *uk;

	seq = read_seqcount_begin(&t->map.seq);
	s = rcu_dereference(t->map.slots);
	h->len = s->len;
	if (s->len > sn->room)
		return -ENOSPC;
	h->size = t->map.size;
	h->threshold = t->map.threshold;
	h->expunged = t->map.stats.expunged;
	h->resizes = t->map.stats.resizes;
	h->rehashes = t->map.stats.rehashes;
	h->stale = 0;
	h->value_bytes = 0;
	for (i = 0; i < s->len; i++) {
		e = rcu_dereference(s->slot[i]);
		if (!e)
			continue;
		tl_slot_describe(&sn->slots[sn->n], i, s->len, e);
		if (sn->slots[sn->n].flags & TASKLOCAL_SLOT_STALE)
			h->stale++;
		h->value_bytes += sn->slots[sn->n].value_len;
		v = NULL;
		uk = tl_ukey_of(tl_key_of(e->key));
		if (values && uk && !tl_snapshot_may_read(sn, uk)) {
			sn->slots[sn->n].flags |= TASKLOCAL_SLOT_HIDDEN;
		} else if (values && uk) {
			v = e->value;
			if (!refcount_inc_not_zero(&v->ref))
				v = NULL;	/* being freed: retry below */
		}
		sn->values[sn->n++] = v;
	}
	if (read_seqcount_retry(&t->map.seq, seq) || READ_ONCE(t->dead)) {
		tl_snapshot_put_values(sn);
		return READ_ONCE(t->dead) ? -ENODATA : -EAGAIN;
	}
	return 0;
}

static int tl_snapshot_take(struct task_struct *task, struct tl_snapshot *sn,
			    bool values)
{
	struct tl_table *t;
	int tries, err = -EAGAIN;

	for (tries = 0; tries < TL_SNAPSHOT_TRIES && err == -EAGAIN; tries++) {
		rcu_read_lock();
		t = tl_table_find(task);
		err = t ? tl_snapshot_once(t, sn, values) : -ENODATA;
		rcu_read_unlock();
		if (err != -ENOSPC)
			continue;
		/* the table grew past what we allocated */
		kvfree(sn->slots);
		kvfree(sn->values);
		sn->room = sn->head.len;
		sn->slots = kvcalloc(sn->room, sizeof(*sn->slots), GFP_KERNEL);
		sn->values = kvcalloc(sn->room, sizeof(*sn->values),
				      GFP_KERNEL);
		if (!sn->slots || !sn->values)
			return -ENOMEM;
		err = -EAGAIN;
	}
	return err == -EAGAIN ? -EBUSY : err;
}

/* Copy value bytes out, as far as the caller's buffer goes. */
static int tl_snapshot_copy_values(struct tl_snapshot *sn,
				   struct tasklocal_table_dump *d)
{
	u8 __user *buf = u64_to_user_ptr(d->values);
	u32 used = 0, room = d->values_len;
	unsigned int i;

	for (i = 0; i < sn->n; i++) {
		struct tl_value *v = sn->values[i];

		if (!v)
			continue;
		if (v->len > room - used) {
			sn->slots[i].flags |= TASKLOCAL_SLOT_TRUNCATED;
			continue;
		}
		if (copy_to_user(buf + used, v->data, v->len))
			return -EFAULT;
		sn->slots[i].value_offset = used;
		used += v->len;
	}
	d->values_len = used;
	return 0;
}

/**
 * tl_inspect_dump() - TASKLOCAL_IOC_TABLE_DUMP
 * @d: the request, checked for flags and reserved fields; filled in
 *
 * Return: 0 or a negative errno (-ERANGE with d->nr_slots set to what is
 * needed).
 */
int tl_inspect_dump(struct tasklocal_table_dump *d)
{
	bool values = d->flags & TASKLOCAL_DUMP_VALUES;
	struct tl_snapshot sn = { };
	struct task_struct *task;
	int err;

	/* the snapshot is taken with no execve() of the target meanwhile */
	task = tl_task_access(d->flags & TASKLOCAL_DUMP_PIDFD,
			      d->flags & TASKLOCAL_DUMP_PID, d->target);
	if (IS_ERR(task))
		return PTR_ERR(task);

	sn.read_all = same_thread_group(task, current) ||
		      ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
	sn.room = TLMAP_INITIAL_LEN;
	sn.slots = kvcalloc(sn.room, sizeof(*sn.slots), GFP_KERNEL);
	sn.values = kvcalloc(sn.room, sizeof(*sn.values), GFP_KERNEL);
	err = -ENOMEM;
	if (!sn.slots || !sn.values) {
		up_read(&task->signal->exec_update_lock);
		goto free;
	}
	err = tl_snapshot_take(task, &sn, values);
	up_read(&task->signal->exec_update_lock);
	if (err)
		goto free;

	d->pid = task_pid_vnr(task);
	d->len = sn.head.len;
	d->size = sn.head.size;
	d->threshold = sn.head.threshold;
	d->stale = sn.head.stale;
	d->expunged = sn.head.expunged;
	d->resizes = sn.head.resizes;
	d->rehashes = sn.head.rehashes;
	d->value_bytes = sn.head.value_bytes;
	if (sn.n > d->nr_slots) {
		d->nr_slots = sn.n;
		err = -ERANGE;
		goto put_values;
	}
	d->nr_slots = sn.n;
	if (values)
		err = tl_snapshot_copy_values(&sn, d);
	else
		d->values_len = 0;
	if (!err && copy_to_user(u64_to_user_ptr(d->slots), sn.slots,
				 sn.n * sizeof(*sn.slots)))
		err = -EFAULT;
put_values:
	tl_snapshot_put_values(&sn);
free:
	kvfree(sn.slots);
	kvfree(sn.values);
	put_task_struct(task);
	return err;
}

struct tl_list_ctx {
	struct tasklocal_task_info *info;
	u32 room;
	u32 n;
	u32 total;
	struct pid_namespace *ns;
	bool privileged;		/* CAP_SYS_PTRACE: every visible task */
};

static int tl_list_one(struct tl_table *t, void *arg)
{
	struct tl_list_ctx *c = arg;
	struct tasklocal_task_info *ti;
	struct tlmap_slots *s;
	struct tlmap_entry *e;
	unsigned int seq, i;
	pid_t pid;

	if (READ_ONCE(t->dead))
		return 0;
	/*
	 * Only tasks of the caller's pid namespace (and those below it),
	 * and to an unprivileged caller only the ones it may inspect: of
	 * the others, not even that they exist. A table in the registry
	 * means its task has not passed exit: under RCU it stays valid.
	 */
	pid = task_pid_nr_ns(t->task, c->ns);
	if (!pid || (!c->privileged && !tl_may_read_unprivileged(t->task)))
		return 0;
	c->total++;
	if (c->n >= c->room)
		return 0;
	ti = &c->info[c->n];
	do {
		memset(ti, 0, sizeof(*ti));
		seq = read_seqcount_begin(&t->map.seq);
		s = rcu_dereference(t->map.slots);
		ti->len = s->len;
		ti->size = t->map.size;
		for (i = 0; i < s->len; i++) {
			e = rcu_dereference(s->slot[i]);
			if (!e)
				continue;
			if (tlmap_entry_stale(e))
				ti->stale++;
			if (tl_key_of(e->key)->user)
				ti->value_bytes +=
					((struct tl_value *)e->value)->len;
		}
	} while (read_seqcount_retry(&t->map.seq, seq));
	ti->pid = pid;
	strscpy_pad((char *)ti->comm, t->task->comm, sizeof(ti->comm));
	c->n++;
	return 0;
}

/**
 * tl_inspect_list() - TASKLOCAL_IOC_TABLE_LIST
 * @l: the request, checked for flags and reserved fields; filled in
 *
 * Return: 0 or a negative errno.
 */
int tl_inspect_list(struct tasklocal_table_list *l)
{
	struct tl_list_ctx c = {
		.room = min_t(u32, l->count, 65536),
		.ns = task_active_pid_ns(current),
		.privileged = ns_capable_noaudit(&init_user_ns, CAP_SYS_PTRACE),
	};
	int err = 0;

	if (c.room) {
		c.info = kvcalloc(c.room, sizeof(*c.info), GFP_KERNEL);
		if (!c.info)
			return -ENOMEM;
	}
	tl_tables_walk(tl_list_one, &c, true);
	l->count = c.n;
	l->total = c.total;
	if (c.n && copy_to_user(u64_to_user_ptr(l->tasks), c.info,
				c.n * sizeof(*c.info)))
		err = -EFAULT;
	kvfree(c.info);
	return err;
}
