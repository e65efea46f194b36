// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal streaming JSON writer: objects, arrays, strings, numbers,
 * booleans; compact, or indented with -p.
 */
#include <stdio.h>

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

static void put_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
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
