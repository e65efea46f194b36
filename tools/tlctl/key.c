// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl key: create, delete and list keys.
 *
 * A named key lives until it is deleted; an fd-owned key (batch only:
 * the fd would close as soon as tlctl exits) until its fd is closed. When
 * a key dies, every task's entry for it turns stale.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tlctl.h"

#define NAME_CHARS	"1 to 63 bytes of A-Z a-z 0-9 _ . : -"

long long key_owner = -1;

/* "set,read,delete" (any of them, in any order) or "none": 0, or -1. */
static int parse_mode(const char *arg, __u32 *mode)
{
	static const struct {
		const char *word;
		__u32 perm;
	} words[] = {
		{ "set", TASKLOCAL_PERM_SET },
		{ "read", TASKLOCAL_PERM_READ },
		{ "delete", TASKLOCAL_PERM_DELETE },
	};
	const char *p = arg;
	size_t i, len;

	*mode = 0;
	if (!strcmp(arg, "none"))
		return 0;
	while (*p) {
		len = strcspn(p, ",");
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (len == strlen(words[i].word) &&
			    !strncmp(p, words[i].word, len))
				break;
		if (!len || i == ARRAY_SIZE(words))
			return -1;
		*mode |= words[i].perm;
		p += len;
		if (*p && !*++p)
			return -1;	/* a trailing comma */
	}
	return p == arg ? -1 : 0;
}

static void key_name(char *buf, const struct tasklocal_key_info *k)
{
	tl_name_unpack(buf, k->name);
	if (buf[0])
		return;
	snprintf(buf, TASKLOCAL_NAME_MAX, "%s",
		 k->flags & TASKLOCAL_KEY_KERNEL ? "(kernel)" : "(anonymous)");
}

static int create_error(int err, const char *name, size_t initial_len)
{
	switch (-err) {
	case EINVAL:
		if (name && !tl_name_valid(name))
			return fail(EXIT_FAILURE_, "invalid key name '%s' (%s)",
				    name, NAME_CHARS);
		break;
	case EEXIST:
		return fail(EXIT_FAILURE_, "a key named '%s' already exists",
			    name);
	case E2BIG:
		return fail(EXIT_FAILURE_,
			    "initial value of %zu bytes is over the module's max_value_size",
			    initial_len);
	case EDQUOT:
		return fail(EXIT_FAILURE_,
			    "cannot create key '%s': this user already owns max_user_keys keys",
			    name);
	case ENOSPC:
		return fail(EXIT_FAILURE_,
			    "cannot create key '%s': the module holds max_keys keys",
			    name);
	}
	return fail(EXIT_FAILURE_, "cannot create key '%s': %s",
		    name ? name : "(anonymous)", tl_strerror(err));
}

static void print_created(const char *name, bool anonymous,
			  const struct tasklocal_key_create *kc)
{
	if (json_output) {
		json_open("key");
		json_u64("id", kc->id);
		if (anonymous)
			json_null("name");
		else
			json_string("name", name);
		json_u64("hash", kc->hash);
		json_bool("inheritable", kc->flags & TASKLOCAL_KEY_INHERIT);
		if (kc->flags & TASKLOCAL_KEY_FD)
			json_s64("fd", kc->fd);
		else
			json_null("fd");
		json_close();
		return;
	}
	printf("key %s%s: id %llu, hash 0x%08x", name,
	       anonymous ? " (anonymous)" : "", (unsigned long long)kc->id,
	       kc->hash);
	if (kc->flags & TASKLOCAL_KEY_FD)
		printf(", owned by fd %d", kc->fd);
	putchar('\n');
}

/**
 * key_create() - "key create NAME [--inheritable] [--initial VALUE] [--mode MODE]"
 * @fd: the device
 * @argc: arguments after "create"
 * @argv: them
 * @in_batch: also accept --fd and --anonymous (NAME is then only the
 *	batch's name for the key)
 * @kc: the result
 *
 * Return: an exit status.
 */
int key_create(int fd, int argc, char **argv, bool in_batch,
	       struct tasklocal_key_create *kc)
{
	const char *name = NULL, *initial = NULL;
	bool anonymous = false;
	__u32 flags = 0, mode = 0;
	size_t len = 0;
	int i, err;

	for (i = 0; i < argc; i++) {
		if (is_option(argv[i], "--inheritable")) {
			flags |= TASKLOCAL_KEY_INHERIT;
		} else if (is_option(argv[i], "--initial")) {
			if (++i == argc)
				return fail(EXIT_USAGE,
					    "key create: --initial needs a VALUE");
			initial = argv[i];
		} else if (is_option(argv[i], "--mode")) {
			if (++i == argc || parse_mode(argv[i], &mode))
				return fail(EXIT_USAGE,
					    "key create: --mode needs MODE: what others may do, a list of set,read,delete, or none");
			flags |= TASKLOCAL_KEY_MODE;
		} else if (in_batch && is_option(argv[i], "--fd")) {
			flags |= TASKLOCAL_KEY_FD;
		} else if (in_batch && is_option(argv[i], "--anonymous")) {
			flags |= TASKLOCAL_KEY_FD;
			anonymous = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return fail(EXIT_USAGE, "key create: unknown option '%s'",
				    argv[i]);
		} else if (!name) {
			name = argv[i];
		} else {
			return fail(EXIT_USAGE, "key create: unexpected '%s'",
				    argv[i]);
		}
	}
	if (!name)
		return fail(EXIT_USAGE, "key create: NAME is missing");
	if (fd < 0)
		return EXIT_OK;		/* the arguments were all to check */
	if (initial)
		len = strlen(initial);
	if (len > UINT32_MAX)
		return create_error(-E2BIG, name, len);
	err = tl_key_create_mode(fd, anonymous ? NULL : name, flags, mode,
				 initial, len, kc);
	if (err)
		return create_error(err, name, len);
	print_created(name, anonymous, kc);
	return EXIT_OK;
}

/* The live key named @name, owned by key_owner if -o was given: 0 or -errno. */
static int find_named(int fd, const char *name, struct tasklocal_key_info *info)
{
	return key_owner < 0 ? tl_key_find(fd, name, info) :
	       tl_key_find_owned(fd, name, key_owner, info);
}

/*
 * The live key named @name (owned by key_owner, if -o was given): 0, or an
 * exit status after saying why not.
 */
int resolve_key(int fd, const char *name, struct tasklocal_key_info *info)
{
	int err = find_named(fd, name, info);

	if (err == -EPERM)
		return fail(EXIT_FAILURE_,
			    "key '%s' belongs to uid %u, not to uid %lld: not using it",
			    name, info->uid, key_owner);
	if (err == -ENOENT)
		return fail(EXIT_FAILURE_,
			    "no key named '%s'; create it with '%s key create %s'",
			    name, prog, name);
	if (err)
		return fail(EXIT_FAILURE_, "cannot list keys: %s",
			    tl_strerror(err));
	return 0;
}

static int delete_error(int err, const char *arg,
			const struct tasklocal_key_info *k)
{
	switch (-err) {
	case EPERM:
		return fail(EXIT_FAILURE_,
			    "key '%s' belongs to uid %u: only its owner or CAP_SYS_ADMIN may delete it",
			    arg, k->uid);
	case EINVAL:
		if (k->flags & TASKLOCAL_KEY_FD)
			return fail(EXIT_FAILURE_,
				    "key '%s' is owned by a file descriptor: it dies when that fd is closed",
				    arg);
		break;
	case ENOENT:
		return fail(EXIT_FAILURE_, "no live named key with id %llu",
			    (unsigned long long)k->id);
	}
	return fail(EXIT_FAILURE_, "cannot delete key '%s': %s", arg,
		    tl_strerror(err));
}

/*
 * key_delete() - "key delete NAME|ID": by name if a live key has that name,
 * else by id (passed to the module as is).
 */
int key_delete(int fd, const char *arg)
{
	struct tasklocal_key_info k;
	unsigned long long id;
	char name[TASKLOCAL_NAME_MAX];
	int err;

	err = find_named(fd, arg, &k);
	if (err == -ENOENT && !parse_u64(arg, &id)) {
		if (tl_key_find_id(fd, id, &k)) {
			memset(&k, 0, sizeof(k));
			k.id = id;
		}
	} else if (err) {
		return resolve_key(fd, arg, &k);
	}
	err = tl_key_delete(fd, k.id);
	if (err)
		return delete_error(err, arg, &k);
	key_name(name, &k);
	if (json_output) {
		json_open("deleted");
		json_u64("id", k.id);
		json_string("name", name);
		json_u64("stale_entries", k.entries);
		json_close();
		return EXIT_OK;
	}
	printf("key %s (id %llu) deleted", name, (unsigned long long)k.id);
	if (k.entries)
		printf(": its %u %s now stale", k.entries,
		       plural(k.entries, "entry is", "entries are"));
	putchar('\n');
	return EXIT_OK;
}

static void json_key(const struct tasklocal_key_info *k)
{
	char name[TASKLOCAL_NAME_MAX], mode[4];

	tl_name_unpack(name, k->name);
	json_begin_object();
	json_u64("id", k->id);
	json_string_or_null("name", name);
	json_u64("hash", k->hash);
	json_u64("uid", k->uid);
	key_mode_str(mode, k->mode);
	json_string("mode", mode);
	json_bool("inheritable", k->flags & TASKLOCAL_KEY_INHERIT);
	json_bool("fd_owned", k->flags & TASKLOCAL_KEY_FD);
	json_bool("dead", k->flags & TASKLOCAL_KEY_DEAD);
	json_bool("kernel", k->flags & TASKLOCAL_KEY_KERNEL);
	json_u64("initial_len", k->initial_len);
	json_u64("entries", k->entries);
	json_end_object();
}

static void print_keys(const struct tasklocal_key_info *keys, size_t n)
{
	char name[TASKLOCAL_NAME_MAX], flags[64], mode[4];
	int width = 4;
	size_t i;

	for (i = 0; i < n; i++) {
		key_name(name, &keys[i]);
		if ((int)strlen(name) > width)
			width = strlen(name);
	}
	printf("%6s  %-*s  %-10s  %6s  %4s  %7s  %s\n", "ID", width, "NAME",
	       "HASH", "UID", "MODE", "ENTRIES", "FLAGS");
	for (i = 0; i < n; i++) {
		key_name(name, &keys[i]);
		key_flags_str(flags, sizeof(flags), keys[i].flags);
		key_mode_str(mode, keys[i].mode);
		printf("%6llu  %-*s  0x%08x  %6u  %4s  %7u  %s\n",
		       (unsigned long long)keys[i].id, width, name,
		       keys[i].hash, keys[i].uid, mode, keys[i].entries,
		       flags);
	}
}

int key_list(int fd)
{
	struct tasklocal_key_info *keys;
	size_t n, i;
	int err;

	err = tl_key_list(fd, &keys, &n);
	if (err)
		return fail(EXIT_FAILURE_, "cannot list keys: %s",
			    tl_strerror(err));
	if (json_output) {
		json_open_array("keys");
		for (i = 0; i < n; i++)
			json_key(&keys[i]);
		json_close_array();
	} else {
		print_keys(keys, n);
	}
	free(keys);
	return EXIT_OK;
}

static int with_device(int (*fn)(int fd, int argc, char **argv), int argc,
		       char **argv)
{
	int fd = open_device();
	int ret;

	if (fd < 0)
		return EXIT_FAILURE_;
	ret = fn(fd, argc, argv);
	close(fd);
	return ret;
}

static int create_fn(int fd, int argc, char **argv)
{
	struct tasklocal_key_create kc;

	return key_create(fd, argc, argv, false, &kc);
}

static int do_key_create(int argc, char **argv)
{
	struct tasklocal_key_create kc;
	int ret = key_create(-1, argc, argv, false, &kc);

	return ret ? ret : with_device(create_fn, argc, argv);
}

static int delete_fn(int fd, int argc, char **argv)
{
	(void)argc;
	return key_delete(fd, argv[0]);
}

static int do_key_delete(int argc, char **argv)
{
	if (argc != 1)
		return fail(EXIT_USAGE, "usage: %s key delete NAME|ID", prog);
	return with_device(delete_fn, argc, argv);
}

/*
 * "key show NAME|ID": the live key of that name, else the key (live or
 * dead) of that id; in the shape of a list of one.
 */
static int key_show_one(int fd, const char *arg)
{
	struct tasklocal_key_info k;
	unsigned long long id;
	int err;

	err = find_named(fd, arg, &k);
	if (err == -ENOENT && !parse_u64(arg, &id)) {
		err = tl_key_find_id(fd, id, &k);
		if (err == -ENOENT)
			return fail(EXIT_FAILURE_, "no key with id %llu", id);
		if (err)
			return fail(EXIT_FAILURE_, "cannot list keys: %s",
				    tl_strerror(err));
		if (key_owner >= 0 && k.uid != key_owner)
			return fail(EXIT_FAILURE_,
				    "key %llu belongs to uid %u, not to uid %lld",
				    id, k.uid, key_owner);
	} else if (err) {
		/* says why not; or finds the key, created meanwhile */
		err = resolve_key(fd, arg, &k);
		if (err)
			return err;
	}
	if (json_output) {
		json_open_array("keys");
		json_key(&k);
		json_close_array();
	} else {
		print_keys(&k, 1);
	}
	return EXIT_OK;
}

static int list_fn(int fd, int argc, char **argv)
{
	return argc ? key_show_one(fd, argv[0]) : key_list(fd);
}

static int do_key_list(int argc, char **argv)
{
	if (argc > 1)
		return fail(EXIT_USAGE, "usage: %s key show [NAME|ID]", prog);
	return with_device(list_fn, argc, argv);
}

static const struct cmd key_cmds[] = {
	{ "create", do_key_create,
	  "create NAME [--inheritable] [--initial VALUE] [--mode MODE]" },
	{ "delete", do_key_delete, "delete NAME|ID" },
	{ "show", do_key_list, "{ show | list } [NAME|ID]" },
	{ "list", do_key_list, NULL },
	{ NULL },
};

int do_key(int argc, char **argv)
{
	int ret = run_cmd(key_cmds, "key", argc, argv);

	if (argc == 1 && !strcmp(argv[0], "help"))
		printf("\n"
		       "NAME := 1 to 63 bytes of [A-Za-z0-9_.:-]\n"
		       "A named key lives until it is deleted (by its owner or CAP_SYS_ADMIN);\n"
		       "then every task's entry for it is stale, and the module's sweeper\n"
		       "removes them all sweep_delay_ms later (a module parameter; with 0,\n"
		       "each waits until its task's table expunges it). --initial gives\n"
		       "the value a get stores on a miss;\n"
		       "--inheritable keys are copied into children at fork.\n");
	return ret;
}
