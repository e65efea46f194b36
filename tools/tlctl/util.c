// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl: small helpers shared by the objects: numbers, options, values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tlctl.h"

/* A decimal number, all of @s: 0, or -EINVAL. */
int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/* @arg is the long option @name ("--values"), spelled out. */
bool is_option(const char *arg, const char *name)
{
	return !strcmp(arg, name);
}

const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Escape one byte of a value the way C writes it, into @out (5 bytes). */
static size_t escape_byte(char *out, unsigned char c)
{
	static const char *const esc = "\"\\\n\t\r";
	static const char *const name = "\"\\ntr";
	const char *p = c ? strchr(esc, c) : NULL;

	if (p) {
		out[0] = '\\';
		out[1] = name[p - esc];
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = c;
		return 1;
	}
	return snprintf(out, 5, "\\x%02x", c);
}

/*
 * Print a value quoted and escaped, cut after about @width characters
 * with "..." (0: no limit).
 */
void print_value(const void *buf, size_t len, size_t width)
{
	const unsigned char *p = buf;
	size_t i, shown = 0;
	char out[5];

	putchar('"');
	for (i = 0; i < len; i++) {
		size_t n = escape_byte(out, p[i]);

		if (width && shown + n > width) {
			fputs("\"...", stdout);
			return;
		}
		fwrite(out, 1, n, stdout);
		shown += n;
	}
	putchar('"');
}

/*
 * A value in JSON, always the same two members: "value", its bytes as a
 * string (UTF-8 where they are, the others escaped as json.c says), and
 * "value_hex", the same bytes in hex.
 */
void json_value(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char *s;
	size_t i;

	json_bytes("value", buf, len);
	s = malloc(len * 2 + 1);
	if (!s) {
		json_null("value_hex");
		return;
	}
	for (i = 0; i < len; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * len] = '\0';
	json_string("value_hex", s);
	free(s);
}

/* "inheritable,fd,dead" or "-". */
/* What others than its owner may do with a key: "srd", '-' for each not. */
void key_mode_str(char buf[4], unsigned int mode)
{
	buf[0] = mode & TASKLOCAL_PERM_SET ? 's' : '-';
	buf[1] = mode & TASKLOCAL_PERM_READ ? 'r' : '-';
	buf[2] = mode & TASKLOCAL_PERM_DELETE ? 'd' : '-';
	buf[3] = '\0';
}

void key_flags_str(char *buf, size_t size, unsigned int flags)
{
	static const struct {
		unsigned int flag;
		const char *name;
	} names[] = {
		{ TASKLOCAL_KEY_INHERIT, "inheritable" },
		{ TASKLOCAL_KEY_FD, "fd" },
		{ TASKLOCAL_KEY_HAS_INITIAL, "initial" },
		{ TASKLOCAL_KEY_KERNEL, "kernel" },
		{ TASKLOCAL_KEY_DEAD, "dead" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].flag)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%s",
				      n ? "," : "", names[i].name);
	if (!n)
		snprintf(buf, size, "-");
}

/* A task's command name from /proc, or "?" . */
void task_comm(int pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(buf, size, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}
