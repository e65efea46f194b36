/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tlctl: shared declarations of the command-line tool.
 */
#ifndef _TLCTL_H
#define _TLCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "../lib/tasklocal.h"

#ifndef __printf
#define __printf(a, b) __attribute__((__format__(__printf__, a, b)))
#endif

/* Exit statuses (keyutils' keyctl convention). */
#define EXIT_OK		0
#define EXIT_FAILURE_	1	/* the operation failed */
#define EXIT_USAGE	2	/* the command line is wrong */

extern bool json_output;
extern bool pretty_output;
extern const char *prog;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;	/* one line: arguments and what it does */
};

int run_cmd(const struct cmd *cmds, const char *object, int argc, char **argv);
void print_cmds(const struct cmd *cmds, const char *object);

/* Print "Error: ..." (or a JSON error object); return @status. */
__printf(2, 3) int fail(int status, const char *fmt, ...);

int open_device(void);

/* json.c: a small streaming JSON writer on stdout. */
void json_begin_object(void);
void json_end_object(void);
void json_begin_array(const char *key);
void json_end_array(void);
void json_key_object(const char *key);
void json_string(const char *key, const char *value);
void json_u64(const char *key, unsigned long long value);
void json_bool(const char *key, bool value);
void json_done(void);

int do_version(int argc, char **argv);

#endif /* _TLCTL_H */
