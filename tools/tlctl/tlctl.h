/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tlctl: shared declarations of the command-line tool.
 */
#ifndef _TLCTL_H
#define _TLCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../lib/tasklocal.h"

#ifndef __printf
#define __printf(a, b) __attribute__((__format__(__printf__, a, b)))
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses (keyutils' keyctl convention). */
#define EXIT_OK		0
#define EXIT_FAILURE_	1	/* the operation failed */
#define EXIT_USAGE	2	/* the command line is wrong */
/* leaks, as diff: 0 none, 1 some found, 2 trouble */
#define EXIT_LEAKS_FOUND	1
#define EXIT_LEAKS_TROUBLE	2

/* Values are shown escaped and cut to this many characters. */
#define VALUE_WIDTH	32

extern bool json_output;
extern bool pretty_output;
extern const char *prog;
extern long long key_owner;	/* -o: names must belong to it; -1: any */
/* Put before every error message ("line 3: "), or NULL. */
extern const char *err_context;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;	/* one line: arguments and what it does */
};

int run_cmd(const struct cmd *cmds, const char *object, int argc, char **argv);
void print_cmds(FILE *f, const struct cmd *cmds, const char *object);
bool is_help(int argc, char **argv);

/*
 * Print "Error: ..." on stderr, or {"error": "..."} on stdout with -j
 * (inside the JSON object being written, if one is open); return @status.
 */
__printf(2, 3) int fail(int status, const char *fmt, ...);

/* Open the device, or print why not and return -1. */
int open_device(void);

/* util.c */
int parse_u64(const char *s, unsigned long long *v);
bool is_option(const char *arg, const char *name);
void print_value(const void *buf, size_t len, size_t width);
void json_value(const void *buf, size_t len);
const char *plural(unsigned long long n, const char *one, const char *many);
void key_flags_str(char *buf, size_t size, unsigned int flags);
void key_mode_str(char buf[4], unsigned int mode);
void task_comm(int pid, char *buf, size_t size);

/* json.c: a small streaming JSON writer on stdout. */
void json_begin_object(void);
void json_end_object(void);
void json_begin_array(const char *key);
void json_end_array(void);
void json_key_object(const char *key);
void json_string(const char *key, const char *value);
void json_bytes(const char *key, const void *value, size_t len);
void json_u64(const char *key, unsigned long long value);
void json_s64(const char *key, long long value);
void json_bool(const char *key, bool value);
void json_null(const char *key);
void json_string_or_null(const char *key, const char *value);
void json_done(void);
int json_depth(void);
/*
 * An object or array that is the whole document at the top level, or the
 * member @key of the object being written (in a batch).
 */
void json_open(const char *key);
void json_close(void);
void json_open_array(const char *key);
void json_close_array(void);

/* key.c */
int do_key(int argc, char **argv);
int key_create(int fd, int argc, char **argv, bool in_batch,
	       struct tasklocal_key_create *kc);
int key_delete(int fd, const char *arg);
int key_list(int fd);
int resolve_key(int fd, const char *name, struct tasklocal_key_info *info);

/* table.c */
int do_table(int argc, char **argv);
int table_show(int fd, int argc, char **argv, bool in_batch);

int do_run(int argc, char **argv);
int do_batch(int argc, char **argv);
int do_stats(int argc, char **argv);
int print_versions(void);
int do_leaks(int argc, char **argv);
int do_version(int argc, char **argv);

#endif /* _TLCTL_H */
