// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl batch [--keep-going] [FILE|-]: run table operations in order, in
 * one task, so they all act on the same table; each command is echoed
 * ("> set a 1") before its output, and a scenario reads like the
 * diagrams of ThreadLocalMap in the literature.
 *
 * Grammar, one command a line:
 *
 *   key create NAME [--inheritable] [--initial VALUE] [--mode MODE]
 *              [--fd | --anonymous]
 *   key delete NAME|ID
 *   key close NAME          close an fd-owned key's fd: the key dies
 *   key list
 *   set NAME VALUE [--create | --replace]
 *   get NAME
 *   remove NAME
 *   clear
 *   table show [self|PID] [--values]
 *   kill NAME               the key dies: key close if fd-owned, else
 *                           key delete
 *   # a comment, echoed; blank lines are skipped
 *
 * Words are separated by blanks; '...' quotes literally, "..." allows
 * C's escapes for a quote, a backslash, newline, tab, CR, NUL (\0) and
 * a byte in hex (\xHH).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tlctl.h"

#define MAX_WORDS	32

/* A key created by this batch, known by its batch name. */
struct bkey {
	char name[TASKLOCAL_NAME_MAX];
	__u64 id;
	int fd;			/* the owning fd, or -1 */
	bool anonymous;
};

struct batch {
	int dev;		/* /dev/tasklocal */
	struct bkey *keys;
	size_t nr_keys;
};

static const char batch_grammar[] =
	"  key create NAME [--inheritable] [--initial VALUE] [--mode MODE]\n"
	"             [--fd | --anonymous]\n"
	"  key delete NAME|ID\n"
	"  key close NAME\n"
	"  key list\n"
	"  set NAME VALUE [--create | --replace]\n"
	"  get NAME\n"
	"  remove NAME\n"
	"  clear\n"
	"  table show [self|PID] [--values]\n"
	"  kill NAME\n"
	"  # comment\n";

static void batch_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s batch [--keep-going] [FILE|-]\n"
		"       %s batch help\n"
		"\n"
		"Runs the commands of FILE (or standard input), one a line, in order,\n"
		"in this one task, echoing each ('> set a 1') before its output. Stops\n"
		"at the first failure (exit 1) unless --keep-going.\n"
		"\n%s\n"
		"--fd: the key is owned by a file descriptor that this batch holds;\n"
		"--anonymous: the same, with no name in the module (NAME is only the\n"
		"batch's). kill kills a key: it closes an fd-owned key's fd, else\n"
		"deletes it. Words are split at blanks; '...' quotes literally, \"...\"\n"
		"allows \\\" \\\\ \\n \\t \\r \\0 and \\xHH.\n",
		prog, prog, batch_grammar);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape in "...": write its byte to *@out, return chars consumed. */
static int unescape(const char *s, char *out)
{
	static const char from[] = "\"\\ntr0";
	static const char to[] = "\"\\\n\t\r";
	const char *p = s[0] ? strchr(from, s[0]) : NULL;

	if (p) {
		*out = p - from < 5 ? to[p - from] : '\0';
		return 1;
	}
	if (s[0] == 'x' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
		*out = hexval(s[1]) << 4 | hexval(s[2]);
		return 3;
	}
	return -1;
}

/*
 * Split @line into words in place (an unescaped word is never longer than
 * its source). Word lengths go to @lens, since values may hold NULs.
 * Return: the number of words, or -1 on bad quoting.
 */
static int split(char *line, char **words, size_t *lens)
{
	char *src = line, *dst, quote;
	int n = 0, k;

	for (;;) {
		while (*src == ' ' || *src == '\t')
			src++;
		if (!*src)
			return n;
		if (n == MAX_WORDS)
			return -1;
		dst = src;
		words[n] = dst;
		quote = 0;
		while (*src && (quote || (*src != ' ' && *src != '\t'))) {
			if (!quote && (*src == '\'' || *src == '"')) {
				quote = *src++;
			} else if (quote && *src == quote) {
				quote = 0;
				src++;
			} else if (quote == '"' && *src == '\\') {
				k = unescape(src + 1, dst++);
				if (k < 0)
					return -1;
				src += 1 + k;
			} else {
				*dst++ = *src++;
			}
		}
		if (quote)
			return -1;
		lens[n] = dst - words[n];
		n++;
		if (*src)
			src++;
		*dst = '\0';
	}
}

static struct bkey *local_key(struct batch *b, const char *name)
{
	size_t i;

	for (i = b->nr_keys; i-- > 0;)
		if (!strcmp(b->keys[i].name, name))
			return &b->keys[i];
	return NULL;
}

static void forget_key(struct batch *b, struct bkey *k)
{
	*k = b->keys[--b->nr_keys];
}

/* The id of the key called @name here: 0, or an exit status. */
static int key_id(struct batch *b, const char *name, __u64 *id)
{
	struct tasklocal_key_info info;
	struct bkey *k = local_key(b, name);
	int ret;

	if (k) {
		*id = k->id;
		return 0;
	}
	ret = resolve_key(b->dev, name, &info);
	if (!ret)
		*id = info.id;
	return ret;
}

static int b_key_create(struct batch *b, int argc, char **argv)
{
	struct tasklocal_key_create kc;
	struct bkey *k, *keys;
	int ret, i;

	ret = key_create(b->dev, argc, argv, true, &kc);
	if (ret)
		return ret;
	keys = realloc(b->keys, (b->nr_keys + 1) * sizeof(*keys));
	if (!keys)
		return fail(EXIT_FAILURE_, "out of memory");
	b->keys = keys;
	k = &keys[b->nr_keys++];
	memset(k, 0, sizeof(*k));
	k->id = kc.id;
	k->fd = kc.flags & TASKLOCAL_KEY_FD ? kc.fd : -1;
	for (i = 0; i < argc; i++) {
		if (is_option(argv[i], "--anonymous"))
			k->anonymous = true;
		else if (is_option(argv[i], "--initial"))
			i++;
		else if (argv[i][0] != '-')
			snprintf(k->name, sizeof(k->name), "%s", argv[i]);
	}
	return EXIT_OK;
}

/* Close an fd-owned key's fd: the key dies. */
static int close_key(struct batch *b, struct bkey *k)
{
	char name[TASKLOCAL_NAME_MAX];
	int fd = k->fd;

	memcpy(name, k->name, sizeof(name));
	close(fd);
	forget_key(b, k);
	if (json_output) {
		json_open("closed");
		json_string("name", name);
		json_s64("fd", fd);
		json_close();
	} else {
		printf("key %s: fd %d closed, the key is dead\n", name, fd);
	}
	return EXIT_OK;
}

static int b_key_close(struct batch *b, int argc, char **argv)
{
	struct bkey *k;

	if (argc != 1)
		return fail(EXIT_USAGE, "usage: key close NAME");
	k = local_key(b, argv[0]);
	if (!k || k->fd < 0)
		return fail(EXIT_FAILURE_,
			    "'%s' is not an fd-owned key created by this batch",
			    argv[0]);
	return close_key(b, k);
}

static int b_kill(struct batch *b, int argc, char **argv)
{
	struct bkey *k;
	int ret;

	if (argc != 1)
		return fail(EXIT_USAGE, "usage: kill NAME");
	k = local_key(b, argv[0]);
	if (k && k->fd >= 0)
		return close_key(b, k);
	ret = key_delete(b->dev, argv[0]);
	if (!ret && k)
		forget_key(b, k);
	return ret;
}

static int b_key(struct batch *b, int argc, char **argv)
{
	struct bkey *k;
	char id[24];
	int ret;

	if (!argc)
		return fail(EXIT_USAGE, "key: create, delete, close or list?");
	if (!strcmp(argv[0], "create"))
		return b_key_create(b, argc - 1, argv + 1);
	if (!strcmp(argv[0], "close"))
		return b_key_close(b, argc - 1, argv + 1);
	if (!strcmp(argv[0], "list") || !strcmp(argv[0], "show")) {
		if (argc != 1)
			return fail(EXIT_USAGE, "usage: key list");
		return key_list(b->dev);
	}
	if (strcmp(argv[0], "delete"))
		return fail(EXIT_USAGE, "unknown command 'key %s'", argv[0]);
	if (argc != 2)
		return fail(EXIT_USAGE, "usage: key delete NAME|ID");
	k = local_key(b, argv[1]);
	if (k && k->anonymous) {
		snprintf(id, sizeof(id), "%llu", (unsigned long long)k->id);
		ret = key_delete(b->dev, id);
	} else {
		ret = key_delete(b->dev, argv[1]);
	}
	if (!ret && k)
		forget_key(b, k);
	return ret;
}

static int set_error(struct batch *b, int err, const char *name, __u64 id,
		     __u32 flags, size_t len)
{
	struct tasklocal_key_info info;

	switch (-err) {
	case EEXIST:
		return fail(EXIT_FAILURE_, "'%s' already has a value (--create)",
			    name);
	case ENOENT:
		if ((flags & TASKLOCAL_SET_REPLACE) &&
		    !tl_key_find_id(b->dev, id, &info) &&
		    !(info.flags & TASKLOCAL_KEY_DEAD))
			return fail(EXIT_FAILURE_,
				    "'%s' has no value to replace (--replace)",
				    name);
		return fail(EXIT_FAILURE_, "key '%s' (id %llu) is dead", name,
			    (unsigned long long)id);
	case E2BIG:
		return fail(EXIT_FAILURE_,
			    "a value of %zu bytes is over the module's max_value_size",
			    len);
	case ENOSPC:
		return fail(EXIT_FAILURE_,
			    "this task's table holds max_entries entries");
	}
	return fail(EXIT_FAILURE_, "cannot set '%s': %s", name,
		    tl_strerror(err));
}

static int b_set(struct batch *b, int argc, char **argv, size_t *lens)
{
	__u32 flags = 0;
	__u64 id;
	int ret, i;

	for (i = 2; i < argc; i++) {
		if (is_option(argv[i], "--create"))
			flags |= TASKLOCAL_SET_CREATE;
		else if (is_option(argv[i], "--replace"))
			flags |= TASKLOCAL_SET_REPLACE;
		else
			return fail(EXIT_USAGE, "set: unexpected '%s'",
				    argv[i]);
	}
	if (argc < 2)
		return fail(EXIT_USAGE,
			    "usage: set NAME VALUE [--create | --replace]");
	ret = key_id(b, argv[0], &id);
	if (ret)
		return ret;
	ret = tl_set(b->dev, id, argv[1], lens[1], flags);
	if (ret)
		return set_error(b, ret, argv[0], id, flags, lens[1]);
	return EXIT_OK;
}

static void print_got(const char *name, __u64 id, const void *v, size_t len,
		      __u32 flags)
{
	if (json_output) {
		/* a key is an object everywhere, as key create's */
		json_key_object("key");
		json_u64("id", id);
		json_string("name", name);
		json_end_object();
		if (v) {
			json_value(v, len);
		} else {
			json_null("value");
			json_null("value_hex");
		}
		json_bool("initial", flags & TASKLOCAL_GET_INITIAL);
		return;
	}
	if (!v) {
		printf("%s: no value\n", name);
		return;
	}
	printf("%s = ", name);
	print_value(v, len, 0);
	if (flags & TASKLOCAL_GET_UNSTORED)
		fputs(" (initial value, not stored: the table is at max_entries)",
		      stdout);
	else if (flags & TASKLOCAL_GET_INITIAL)
		fputs(" (initial value, now stored)", stdout);
	putchar('\n');
}

static int b_get(struct batch *b, int argc, char **argv)
{
	__u32 flags = 0;
	void *v = NULL;
	size_t len = 0;
	__u64 id;
	int ret;

	if (argc != 1)
		return fail(EXIT_USAGE, "usage: get NAME");
	ret = key_id(b, argv[0], &id);
	if (ret)
		return ret;
	ret = tl_get_alloc(b->dev, id, &v, &len, &flags);
	if (ret == -ENOENT)
		return fail(EXIT_FAILURE_, "key '%s' (id %llu) is dead",
			    argv[0], (unsigned long long)id);
	if (ret && ret != -ENODATA)
		return fail(EXIT_FAILURE_, "cannot get '%s': %s", argv[0],
			    tl_strerror(ret));
	print_got(argv[0], id, v, len, flags);
	free(v);
	return EXIT_OK;
}

static int b_remove(struct batch *b, int argc, char **argv)
{
	__u64 id;
	int ret;

	if (argc != 1)
		return fail(EXIT_USAGE, "usage: remove NAME");
	ret = key_id(b, argv[0], &id);
	if (ret)
		return ret;
	ret = tl_remove(b->dev, id);
	if (ret == -ENODATA)
		return fail(EXIT_FAILURE_, "'%s' has no value in this task",
			    argv[0]);
	if (ret == -ENOENT)
		return fail(EXIT_FAILURE_, "key '%s' (id %llu) is dead",
			    argv[0], (unsigned long long)id);
	if (ret)
		return fail(EXIT_FAILURE_, "cannot remove '%s': %s", argv[0],
			    tl_strerror(ret));
	return EXIT_OK;
}

static int b_clear(struct batch *b, int argc)
{
	int n;

	if (argc)
		return fail(EXIT_USAGE, "usage: clear");
	n = tl_clear(b->dev);
	if (n < 0)
		return fail(EXIT_FAILURE_, "cannot clear: %s", tl_strerror(n));
	if (json_output)
		json_u64("removed", n);
	else
		printf("removed %d %s\n", n, plural(n, "entry", "entries"));
	return EXIT_OK;
}

static int b_table(struct batch *b, int argc, char **argv)
{
	if (!argc || strcmp(argv[0], "show"))
		return fail(EXIT_USAGE, "usage: table show [self|PID] [--values]");
	return table_show(b->dev, argc - 1, argv + 1, true);
}

/* One command line, split into words: an exit status. */
static int run_words(struct batch *b, int n, char **w, size_t *lens)
{
	const char *c = w[0];

	if (!strcmp(c, "key"))
		return b_key(b, n - 1, w + 1);
	if (!strcmp(c, "set"))
		return b_set(b, n - 1, w + 1, lens + 1);
	if (!strcmp(c, "get"))
		return b_get(b, n - 1, w + 1);
	if (!strcmp(c, "remove"))
		return b_remove(b, n - 1, w + 1);
	if (!strcmp(c, "clear"))
		return b_clear(b, n - 1);
	if (!strcmp(c, "table"))
		return b_table(b, n - 1, w + 1);
	if (!strcmp(c, "kill"))
		return b_kill(b, n - 1, w + 1);
	return fail(EXIT_USAGE, "unknown command '%s'; see '%s batch help'",
		    c, prog);
}

/* Run one line (no newline, not blank): an exit status. */
static int run_line(struct batch *b, unsigned int nr, char *line)
{
	char *words[MAX_WORDS], context[32];
	size_t lens[MAX_WORDS];
	int n, ret;

	if (line[0] == '#') {
		if (!json_output)
			printf("%s\n", line);
		return EXIT_OK;
	}
	snprintf(context, sizeof(context), "line %u: ", nr);
	err_context = context;
	if (json_output) {
		json_begin_object();
		json_u64("line", nr);
		json_string("command", line);
	} else {
		printf("> %s\n", line);
	}
	n = split(line, words, lens);
	if (n < 0)
		ret = fail(EXIT_USAGE, "unbalanced quotes, bad escape or too many words");
	else
		ret = run_words(b, n, words, lens);
	if (json_output)
		json_end_object();
	fflush(stdout);
	err_context = NULL;
	return ret;
}

static char *trim(char *s)
{
	size_t len = strcspn(s, "\r\n");

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	s[len] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int run_file(struct batch *b, FILE *f, bool keep_going)
{
	unsigned int nr = 0, failed = 0;
	size_t size = 0;
	char *buf = NULL, *line;

	if (json_output)
		json_open_array("results");
	while (getline(&buf, &size, f) >= 0) {
		line = trim(buf);
		nr++;
		if (!*line)
			continue;
		if (run_line(b, nr, line)) {
			failed++;
			if (!keep_going)
				break;
		}
	}
	if (json_output)
		json_close_array();
	free(buf);
	if (failed && keep_going && !json_output)
		fail(EXIT_FAILURE_, "%u %s failed", failed,
		     plural(failed, "command", "commands"));
	return failed ? EXIT_FAILURE_ : EXIT_OK;
}

int do_batch(int argc, char **argv)
{
	struct batch b = { .dev = -1 };
	const char *file = NULL;
	bool keep_going = false;
	FILE *f = stdin;
	int i, ret;

	if (is_help(argc, argv)) {
		batch_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < argc; i++) {
		if (is_option(argv[i], "--keep-going") || !strcmp(argv[i], "-k"))
			keep_going = true;
		else if (file || (argv[i][0] == '-' && argv[i][1]))
			return fail(EXIT_USAGE, "batch: unexpected '%s'",
				    argv[i]);
		else
			file = argv[i];
	}
	if (file && strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f)
			return fail(EXIT_FAILURE_, "cannot open %s: %s", file,
				    strerror(errno));
	}
	b.dev = open_device();
	if (b.dev < 0) {
		ret = EXIT_FAILURE_;
		goto out;
	}
	ret = run_file(&b, f, keep_going);
	for (i = 0; i < (int)b.nr_keys; i++)
		if (b.keys[i].fd >= 0)
			close(b.keys[i].fd);
	free(b.keys);
	close(b.dev);
out:
	if (f != stdin)
		fclose(f);
	return ret;
}
