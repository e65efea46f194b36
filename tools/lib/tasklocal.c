// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libtasklocal: thin wrappers over the /dev/tasklocal ioctls, and helpers
 * that allocate what the variable-size ones need.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tasklocal.h"

/* Attempts before a growing table makes tl_table_dump() give up. */
#define TL_DUMP_TRIES		8
#define TL_LIST_PAGE		64
#define TL_GET_ROOM		4096	/* the default max_value_size */

static int tl_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static __u64 ptr_to_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static void *u64_to_ptr(__u64 v)
{
	return (void *)(uintptr_t)v;
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

bool tl_name_valid(const char *name)
{
	static const char ok[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";
	size_t len = strlen(name);

	if (!len || len >= TASKLOCAL_NAME_MAX)
		return false;
	return strspn(name, ok) == len;
}

int tl_name_pack(__u64 words[TASKLOCAL_NAME_WORDS], const char *name)
{
	size_t len = strlen(name);

	memset(words, 0, TASKLOCAL_NAME_MAX);
	if (!len || len >= TASKLOCAL_NAME_MAX)
		return -EINVAL;
	memcpy(words, name, len);
	return 0;
}

void tl_name_unpack(char buf[TASKLOCAL_NAME_MAX],
		    const __u64 words[TASKLOCAL_NAME_WORDS])
{
	memcpy(buf, words, TASKLOCAL_NAME_MAX);
	buf[TASKLOCAL_NAME_MAX - 1] = '\0';
}

void tl_comm_unpack(char buf[17], const __u64 comm[2])
{
	memcpy(buf, comm, 16);
	buf[16] = '\0';
}

int tl_key_create(int fd, const char *name, __u32 flags, const void *initial,
		  __u32 initial_len, struct tasklocal_key_create *out)
{
	return tl_key_create_mode(fd, name, flags, 0,
				  initial, initial_len, out);
}

int tl_key_create_mode(int fd, const char *name, __u32 flags, __u32 mode,
		       const void *initial, __u32 initial_len,
		       struct tasklocal_key_create *out)
{
	struct tasklocal_key_create kc;
	int err;

	if (!out && (flags & TASKLOCAL_KEY_FD))
		return -EINVAL;	/* the fd would be lost, and the key with it */
	memset(&kc, 0, sizeof(kc));
	if (name) {
		err = tl_name_pack(kc.name, name);
		if (err)
			return err;
	}
	kc.flags = flags;
	kc.mode = mode;
	kc.initial = ptr_to_u64(initial);
	kc.initial_len = initial_len;
	kc.fd = -1;
	err = tl_ioctl(fd, TASKLOCAL_IOC_KEY_CREATE, &kc);
	if (err < 0)
		return err;
	if (out)
		*out = kc;
	return 0;
}

int tl_key_delete(int fd, __u64 id)
{
	struct tasklocal_key_delete kd;

	memset(&kd, 0, sizeof(kd));
	kd.id = id;
	return tl_ioctl(fd, TASKLOCAL_IOC_KEY_DELETE, &kd);
}

/*
 * A module older than 0.6 fills elements of TASKLOCAL_KEY_INFO_SIZE_VER0
 * bytes: spread them out to this header's size, the last first.
 */
static void keys_spread_ver0(struct tasklocal_key_info *keys, __u32 n)
{
	char *base = (char *)keys;

	while (n--) {
		memmove(&keys[n], base + n * TASKLOCAL_KEY_INFO_SIZE_VER0,
			TASKLOCAL_KEY_INFO_SIZE_VER0);
		keys[n].death_time = 0;
	}
}

int tl_key_list_page(int fd, struct tasklocal_key_list *kl)
{
	int err;

	kl->reserved = 0;
	kl->info_size = sizeof(struct tasklocal_key_info);
	kl->reserved1 = 0;
	err = tl_ioctl(fd, TASKLOCAL_IOC_KEY_LIST, kl);
	if (err != -E2BIG)
		return err;
	/* a module before 0.6: its structure ends before @info_size */
	kl->info_size = 0;
	err = tl_ioctl(fd, TASKLOCAL_IOC_KEY_LIST, kl);
	if (!err)
		keys_spread_ver0(u64_to_ptr(kl->keys), kl->count);
	return err;
}

/* Append @n keys to the growing array *@all of *@count. */
static int keys_append(struct tasklocal_key_info **all, size_t *count,
		       const struct tasklocal_key_info *keys, size_t n)
{
	struct tasklocal_key_info *p;

	if (!n)
		return 0;
	p = realloc(*all, (*count + n) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memcpy(p + *count, keys, n * sizeof(*p));
	*all = p;
	*count += n;
	return 0;
}

int tl_key_list(int fd, struct tasklocal_key_info **keys, size_t *count)
{
	struct tasklocal_key_info page[TL_LIST_PAGE];
	struct tasklocal_key_info *all = NULL;
	struct tasklocal_key_list kl;
	size_t n = 0;
	__u64 start = 0;
	int err;

	do {
		memset(&kl, 0, sizeof(kl));
		kl.keys = ptr_to_u64(page);
		kl.count = TL_LIST_PAGE;
		kl.start_id = start;
		err = tl_key_list_page(fd, &kl);
		if (!err && kl.next_id && kl.next_id <= start)
			err = -EPROTO;	/* would never end */
		if (!err)
			err = keys_append(&all, &n, page, kl.count);
		if (err) {
			free(all);
			return err;
		}
		start = kl.next_id;
	} while (start);
	*keys = all;
	*count = n;
	return 0;
}

/* A module before 0.7 has no KEY_FIND: the key is looked for in the list. */
static int tl_key_find_listed(int fd, const char *name,
			      struct tasklocal_key_info *info)
{
	struct tasklocal_key_info *keys;
	char buf[TASKLOCAL_NAME_MAX];
	size_t n, i;
	int err;

	err = tl_key_list(fd, &keys, &n);
	if (err)
		return err;
	err = -ENOENT;
	for (i = 0; i < n; i++) {
		if (keys[i].flags & TASKLOCAL_KEY_DEAD)
			continue;
		tl_name_unpack(buf, keys[i].name);
		if (!strcmp(buf, name)) {
			*info = keys[i];
			err = 0;
			break;
		}
	}
	free(keys);
	return err;
}

int tl_key_find(int fd, const char *name, struct tasklocal_key_info *info)
{
	struct tasklocal_key_find kf;
	int err;

	/* no key can have a name the module refuses */
	if (!tl_name_valid(name))
		return -ENOENT;
	memset(&kf, 0, sizeof(kf));
	tl_name_pack(kf.name, name);
	kf.info = ptr_to_u64(info);
	kf.info_size = sizeof(*info);
	err = tl_ioctl(fd, TASKLOCAL_IOC_KEY_FIND, &kf);
	if (err == -ENOTTY)
		err = tl_key_find_listed(fd, name, info);
	return err < 0 ? err : 0;
}

int tl_key_find_owned(int fd, const char *name, uid_t owner,
		      struct tasklocal_key_info *info)
{
	int err = tl_key_find(fd, name, info);

	if (!err && info->uid != owner)
		err = -EPERM;
	return err;
}

int tl_key_find_id(int fd, __u64 id, struct tasklocal_key_info *info)
{
	struct tasklocal_key_list kl;
	int err;

	memset(&kl, 0, sizeof(kl));
	kl.keys = ptr_to_u64(info);
	kl.count = 1;
	kl.start_id = id;
	err = tl_key_list_page(fd, &kl);
	if (err)
		return err;
	return kl.count == 1 && info->id == id ? 0 : -ENOENT;
}

static int tl_value_ioctl(int fd, unsigned long cmd, struct tasklocal_value *v,
			  __u64 key_id, const void *buf, size_t len,
			  __u32 flags)
{
	if (len > UINT32_MAX)
		return -E2BIG;
	memset(v, 0, sizeof(*v));
	v->key_id = key_id;
	v->flags = flags;
	v->len = len;
	v->value = ptr_to_u64(buf);
	return tl_ioctl(fd, cmd, v);
}

int tl_set(int fd, __u64 key_id, const void *buf, size_t len, __u32 flags)
{
	struct tasklocal_value v;

	return tl_value_ioctl(fd, TASKLOCAL_IOC_SET, &v, key_id, buf, len,
			      flags);
}

int tl_get(int fd, __u64 key_id, void *buf, size_t *len, __u32 *flags)
{
	size_t room = *len > UINT32_MAX ? UINT32_MAX : *len;
	struct tasklocal_value v;
	int err;

	err = tl_value_ioctl(fd, TASKLOCAL_IOC_GET, &v, key_id, buf, room, 0);
	if (!err || err == -ERANGE)
		*len = v.len;
	if (flags)
		*flags = !err || err == -ERANGE ? v.flags : 0;
	return err;
}

int tl_get_alloc(int fd, __u64 key_id, void **buf, size_t *len,
		 __u32 *flags)
{
	size_t room = TL_GET_ROOM;
	__u32 got = 0, f;
	void *p = NULL;
	int err, tries;

	for (tries = 0; tries < TL_DUMP_TRIES; tries++) {
		void *q = realloc(p, room + 1);

		if (!q) {
			err = -ENOMEM;
			break;
		}
		p = q;
		*len = room;
		err = tl_get(fd, key_id, p, len, &f);
		got |= f;
		if (err != -ERANGE)
			break;
		room = *len;
	}
	if (err) {
		free(p);
		return err;
	}
	((char *)p)[*len] = '\0';
	*buf = p;
	if (flags)
		*flags = got;
	return 0;
}

int tl_remove(int fd, __u64 key_id)
{
	struct tasklocal_value v;

	return tl_value_ioctl(fd, TASKLOCAL_IOC_REMOVE, &v, key_id, NULL, 0,
			      0);
}

int tl_clear(int fd)
{
	struct tasklocal_clear c;
	int err;

	memset(&c, 0, sizeof(c));
	err = tl_ioctl(fd, TASKLOCAL_IOC_CLEAR, &c);
	return err < 0 ? err : (int)c.removed;
}

int tl_clear_task(int fd, __u32 flags, int target, __u64 key_id)
{
	struct tasklocal_clear c;
	int err;

	memset(&c, 0, sizeof(c));
	c.flags = flags;
	c.target = target;
	c.key_id = key_id;
	err = tl_ioctl(fd, TASKLOCAL_IOC_CLEAR, &c);
	return err < 0 ? err : (int)c.removed;
}

int tl_table_dump_raw(int fd, struct tasklocal_table_dump *d)
{
	return tl_ioctl(fd, TASKLOCAL_IOC_TABLE_DUMP, d);
}

void tl_dump_free(struct tl_dump *d)
{
	if (!d)
		return;
	free(d->slots);
	free(d->values);
	free(d);
}

static bool dump_truncated(const struct tl_dump *d)
{
	__u32 i;

	for (i = 0; i < d->info.nr_slots; i++)
		if (d->slots[i].flags & TASKLOCAL_SLOT_TRUNCATED)
			return true;
	return false;
}

static int slot_cmp(const void *a, const void *b)
{
	const struct tasklocal_slot *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Give @d room for @nr slots and @vlen value bytes. */
static int dump_room(struct tl_dump *d, __u32 nr, __u32 vlen)
{
	void *p;

	p = realloc(d->slots, (nr ? nr : 1) * sizeof(*d->slots));
	if (!p)
		return -ENOMEM;
	d->slots = p;
	p = realloc(d->values, vlen ? vlen : 1);
	if (!p)
		return -ENOMEM;
	d->values = p;
	return 0;
}

/* One attempt: 0, -ERANGE (more slots needed), or -EAGAIN (more bytes). */
static int dump_once(int fd, struct tl_dump *d, __u32 flags, int target,
		     __u32 nr, __u32 vlen)
{
	struct tasklocal_table_dump *info = &d->info;
	int err;

	err = dump_room(d, nr, vlen);
	if (err)
		return err;
	memset(info, 0, sizeof(*info));
	info->flags = flags;
	info->target = target;
	info->slots = ptr_to_u64(d->slots);
	info->nr_slots = nr;
	info->values = ptr_to_u64(d->values);
	info->values_len = vlen;
	err = tl_table_dump_raw(fd, info);
	if (err)
		return err;
	if ((flags & TASKLOCAL_DUMP_VALUES) && dump_truncated(d))
		return -EAGAIN;
	return 0;
}

int tl_table_dump(int fd, __u32 flags, int target, struct tl_dump **out)
{
	__u32 nr = 16, vlen = 0;
	struct tl_dump *d;
	int err = -EAGAIN, tries;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (flags & TASKLOCAL_DUMP_VALUES)
		vlen = TL_GET_ROOM;
	for (tries = 0; tries < TL_DUMP_TRIES; tries++) {
		err = dump_once(fd, d, flags, target, nr, vlen);
		if (err == -ERANGE && d->info.nr_slots > nr)
			nr = d->info.nr_slots;
		else if (err == -ERANGE)
			nr *= 2;
		else if (err == -EAGAIN && d->info.value_bytes > vlen)
			vlen = d->info.value_bytes;
		else if (err == -EAGAIN)
			vlen *= 2;
		else
			break;
	}
	if (err) {
		tl_dump_free(d);
		return err;
	}
	qsort(d->slots, d->info.nr_slots, sizeof(*d->slots), slot_cmp);
	*out = d;
	return 0;
}

const void *tl_dump_value(const struct tl_dump *d,
			  const struct tasklocal_slot *s)
{
	if (!(d->info.flags & TASKLOCAL_DUMP_VALUES) ||
	    (s->flags & (TASKLOCAL_SLOT_KERNEL | TASKLOCAL_SLOT_TRUNCATED |
			 TASKLOCAL_SLOT_HIDDEN)))
		return NULL;
	if ((__u64)s->value_offset + s->value_len > d->info.values_len)
		return NULL;
	return d->values + s->value_offset;
}

static int task_by_pid(const void *a, const void *b)
{
	const struct tasklocal_task_info *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int tl_table_list(int fd, struct tasklocal_task_info **tasks, size_t *count)
{
	struct tasklocal_task_info *p = NULL, *q;
	struct tasklocal_table_list tl;
	__u32 room = TL_LIST_PAGE;
	int err = -EAGAIN, tries;

	for (tries = 0; tries < TL_DUMP_TRIES; tries++) {
		q = realloc(p, room * sizeof(*p));
		if (!q) {
			err = -ENOMEM;
			break;
		}
		p = q;
		memset(&tl, 0, sizeof(tl));
		tl.tasks = ptr_to_u64(p);
		tl.count = room;
		err = tl_ioctl(fd, TASKLOCAL_IOC_TABLE_LIST, &tl);
		if (err || tl.total <= tl.count)
			break;
		err = -EAGAIN;
		room = tl.total + tl.total / 4 + 1;
	}
	if (err) {
		free(p);
		return err;
	}
	qsort(p, tl.count, sizeof(*p), task_by_pid);
	*tasks = p;
	*count = tl.count;
	return 0;
}

int tl_stats(int fd, struct tasklocal_stats *st)
{
	memset(st, 0, sizeof(*st));
	return tl_ioctl(fd, TASKLOCAL_IOC_STATS, st);
}

const char *tl_library_version(void)
{
	return TASKLOCAL_VERSION;
}

const char *tl_strerror(int err)
{
	switch (-err) {
	case ENOENT:
		return "no such key or device (is the tasklocal module loaded?)";
	case ENOTTY:
		return "operation not supported by this tasklocal module";
	case ENODATA:
		return "no value";
	case ERANGE:
		return "buffer too small";
	case E2BIG:
		return "value too large (module parameter max_value_size)";
	case EDQUOT:
		return "too many keys for this user (max_user_keys)";
	case EPROTO:
		return "the module answered inconsistently";
	default:
		return strerror(-err);
	}
}
