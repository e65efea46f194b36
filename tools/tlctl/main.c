// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl: look at and use per-task locals from the command line.
 *
 *   tlctl [OPTIONS] OBJECT { COMMAND | help }
 *
 * The grammar follows bpftool and ip: an object, then a command, both
 * accepted as any unique prefix.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlctl.h"

bool json_output;
bool pretty_output;
const char *prog = "tlctl";

int fail(int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_output) {
		json_begin_object();
		json_string("error", msg);
		json_end_object();
		json_done();
	} else {
		fprintf(stderr, "Error: %s\n", msg);
	}
	return status;
}

int open_device(void)
{
	int fd = tl_open();

	if (fd < 0)
		return fail(EXIT_FAILURE_, "cannot open %s: %s", TASKLOCAL_DEVICE,
			    tl_strerror(fd)), -1;
	return fd;
}

void print_cmds(const struct cmd *cmds, const char *object)
{
	for (; cmds->name; cmds++)
		if (cmds->help)
			fprintf(stderr, "  %s %s%s%s\n", prog,
				object ? object : "", object ? " " : "",
				cmds->help);
}

/* Find @word in @cmds as a unique prefix, or an exact name. */
static const struct cmd *find_cmd(const struct cmd *cmds, const char *word,
				  bool *ambiguous)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);

	*ambiguous = false;
	for (; cmds->name; cmds++) {
		if (!strcmp(cmds->name, word))
			return cmds;
		if (!strncmp(cmds->name, word, len)) {
			if (found)
				*ambiguous = true;
			found = cmds;
		}
	}
	return *ambiguous ? NULL : found;
}

int run_cmd(const struct cmd *cmds, const char *object, int argc, char **argv)
{
	const struct cmd *c;
	bool ambiguous;

	if (argc < 1 || !strcmp(argv[0], "help")) {
		fprintf(stderr, "Usage:\n");
		print_cmds(cmds, object);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	c = find_cmd(cmds, argv[0], &ambiguous);
	if (!c)
		return fail(EXIT_USAGE, "%s '%s'%s; try '%s %shelp'",
			    ambiguous ? "ambiguous command" : "unknown command",
			    argv[0], object ? "" : "", prog,
			    object ? "" : "");
	return c->fn(argc - 1, argv + 1);
}

static int do_help(int argc, char **argv);

static const struct cmd objects[] = {
	{ "version", do_version, "version" },
	{ "help", do_help, NULL },
	{ NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %s version\n"
		"\n"
		"OBJECT := { version }\n"
		"OPTIONS := { -j|--json [-p|--pretty] | -h|--help }\n"
		"\n"
		"Objects and commands may be abbreviated to any unique prefix.\n"
		"See tlctl(8).\n", prog, prog);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *c;
	bool ambiguous;
	int opt;

	/* '+': stop at the first non-option, so commands keep theirs. */
	while ((opt = getopt_long(argc, argv, "+jph", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = true;
			pretty_output = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	c = find_cmd(objects, argv[0], &ambiguous);
	if (!c)
		return fail(EXIT_USAGE, "%s object '%s'; try '%s help'",
			    ambiguous ? "ambiguous" : "unknown", argv[0], prog);
	return c->fn(argc - 1, argv + 1);
}
