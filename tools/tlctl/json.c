// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal streaming JSON writer: objects, arrays, strings, numbers,
 * booleans; compact, or indented with -p.
 *
 * Its output is valid JSON whatever the bytes it is given: strings are
 * UTF-8 as they come where they are well-formed UTF-8, and each byte
 * that is not part of a well-formed sequence is written \udc80 to
 * \udcff (the byte plus 0xdc00): the escape Python calls
 * "surrogateescape", so that json.loads(s).encode("utf-8",
 * "surrogateescape") gives back the bytes exactly.
 */
#include <stdio.h>
#include <string.h>

#include "tlctl.h"

static int depth;
static bool need_comma;

static void newline(void)
{
	int i;

	if (!pretty_output)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
}

/*
 * The length of the well-formed UTF-8 sequence of two to four bytes at
 * @s (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), or 0.
 */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;		/* past U+10FFFF */
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void put_escaped_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	putchar('"');
	while (i < len) {
		unsigned char c = s[i];

		n = c < 0x80 ? 1 : utf8_len(s + i, len - i);
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else if (n)
			fwrite(s + i, 1, n, stdout);
		else
			printf("\\u%04x", 0xdc00 + c);	/* surrogateescape */
		i += n ?: 1;
	}
	putchar('"');
}

static void put_escaped(const char *s)
{
	put_escaped_len(s, strlen(s));
}

static void begin_value(const char *key)
{
	if (need_comma)
		putchar(',');
	if (depth)
		newline();
	if (key) {
		put_escaped(key);
		fputs(pretty_output ? ": " : ":", stdout);
	}
	need_comma = true;
}

static void open_(const char *key, char c)
{
	begin_value(key);
	putchar(c);
	depth++;
	need_comma = false;
}

static void close_(char c)
{
	depth--;
	if (need_comma)
		newline();
	putchar(c);
	need_comma = true;
}

void json_begin_object(void)
{
	open_(NULL, '{');
}

void json_key_object(const char *key)
{
	open_(key, '{');
}

void json_end_object(void)
{
	close_('}');
}

void json_begin_array(const char *key)
{
	open_(key, '[');
}

void json_end_array(void)
{
	close_(']');
}

void json_string(const char *key, const char *value)
{
	begin_value(key);
	put_escaped(value);
}

/* @len bytes, NULs and all. */
void json_bytes(const char *key, const void *value, size_t len)
{
	begin_value(key);
	put_escaped_len(value, len);
}

void json_u64(const char *key, unsigned long long value)
{
	begin_value(key);
	printf("%llu", value);
}

void json_s64(const char *key, long long value)
{
	begin_value(key);
	printf("%lld", value);
}

/* A string, or null when it is empty (an anonymous key's name). */
void json_string_or_null(const char *key, const char *value)
{
	if (value[0])
		json_string(key, value);
	else
		json_null(key);
}

void json_null(const char *key)
{
	begin_value(key);
	fputs("null", stdout);
}

void json_bool(const char *key, bool value)
{
	begin_value(key);
	fputs(value ? "true" : "false", stdout);
}

/* How many objects and arrays are open: 0 between documents. */
int json_depth(void)
{
	return depth;
}

void json_open(const char *key)
{
	if (depth)
		json_key_object(key);
	else
		json_begin_object();
}

void json_close(void)
{
	json_end_object();
	if (!depth)
		json_done();
}

void json_open_array(const char *key)
{
	json_begin_array(depth ? key : NULL);
}

void json_close_array(void)
{
	json_end_array();
	if (!depth)
		json_done();
}

/* End of one JSON document. */
void json_done(void)
{
	putchar('\n');
	need_comma = false;
	depth = 0;
}
