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
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlctl.h"

bool json_output;
bool pretty_output;
const char *prog = "tlctl";

const char *err_context;

int fail(int status, const char *fmt, ...)
{
	char msg[640];
	int n = 0;
	va_list ap;

	if (err_context)
		n = snprintf(msg, sizeof(msg), "%s", err_context);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	if (json_output && json_depth()) {
		json_string("error", msg);
	} else if (json_output) {
		json_begin_object();
		json_string("error", msg);
		json_end_object();
		json_done();
	} else {
		fflush(stdout);	/* keep the order of output and errors */
		fprintf(stderr, "Error: %s\n", msg);
	}
	return status;
}

int open_device(void)
{
	int fd = tl_open();

	if (fd == -ENOENT || fd == -ENODEV || fd == -ENXIO)
		return fail(EXIT_FAILURE_, "cannot open %s: %s (is the tasklocal module loaded?)",
			    TASKLOCAL_DEVICE, strerror(-fd)), -1;
	if (fd < 0)
		return fail(EXIT_FAILURE_, "cannot open %s: %s",
			    TASKLOCAL_DEVICE, tl_strerror(fd)), -1;
	return fd;
}

void print_cmds(FILE *f, const struct cmd *cmds, const char *object)
{
	const char *lead = "Usage:";

	for (; cmds->name; cmds++) {
		if (!cmds->help)
			continue;
		fprintf(f, "%-6s %s %s%s%s\n", lead, prog,
			object ? object : "", object ? " " : "", cmds->help);
		lead = "";
	}
}

bool is_help(int argc, char **argv)
{
	return argc == 1 && (!strcmp(argv[0], "help") ||
			     !strcmp(argv[0], "--help") ||
			     !strcmp(argv[0], "-h"));
}

/* Find @word in @cmds as a unique prefix, or an exact name. */
static const struct cmd *find_cmd(const struct cmd *cmds, const char *word,
				  bool *ambiguous)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);

	*ambiguous = false;
	if (!len)
		return NULL;
	for (; cmds->name; cmds++) {
		if (!strcmp(cmds->name, word))
			return cmds;
		if (!strncmp(cmds->name, word, len)) {
			/* aliases (show, list) share a handler */
			if (found && found->fn != cmds->fn)
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

	if (argc < 1) {
		/* as bpftool and ip: the object alone shows it */
		c = find_cmd(cmds, "show", &ambiguous);
		if (c)
			return c->fn(0, argv);
		print_cmds(stderr, cmds, object);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		print_cmds(stdout, cmds, object);
		return EXIT_OK;
	}
	c = find_cmd(cmds, argv[0], &ambiguous);
	if (!c)
		return fail(EXIT_USAGE, "%s command '%s'; try '%s %s help'",
			    ambiguous ? "ambiguous" : "unknown", argv[0], prog,
			    object);
	return c->fn(argc - 1, argv + 1);
}

static int do_help(int argc, char **argv);

static const struct cmd objects[] = {
	{ "key", do_key, NULL },
	{ "run", do_run, NULL },
	{ "table", do_table, NULL },
	{ "batch", do_batch, NULL },
	{ "stats", do_stats, NULL },
	{ "leaks", do_leaks, NULL },
	{ "version", do_version, NULL },
	{ "help", do_help, NULL },
	{ NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %s help\n"
		"\n"
		"OBJECT := { key | run | table | batch | stats | leaks | version }\n"
		"OPTIONS := { -j|--json [-p|--pretty] | -o|--owner UID | -h|--help |\n"
		"             -V|--version }\n"
		"\n"
		"  key create NAME [--inheritable] [--initial VALUE] [--mode MODE]\n"
		"  key delete NAME|ID\n"
		"  key { show | list }\n"
		"  run [--set NAME=VALUE]... [--] CMD [ARGS]...\n"
		"  table show [PID|self] [--values]\n"
		"  table list\n"
		"  batch [--keep-going] [FILE|-]\n"
		"  stats\n"
		"  leaks\n"
		"  version\n"
		"\n"
		"Objects and commands may be abbreviated to any unique prefix;\n"
		"'%s OBJECT help' describes an object. See tlctl(8).\n",
		prog, prog, prog);
}

static int do_help(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return fail(EXIT_USAGE, "'help' takes no arguments");
	usage(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "owner", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long uid;
	const struct cmd *c;
	bool ambiguous;
	bool versions = false;
	int opt;

	/* '+': stop at the first non-option, so commands keep theirs. */
	while ((opt = getopt_long(argc, argv, "+jpo:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (parse_u64(optarg, &uid) || uid > UINT32_MAX - 1)
				return fail(EXIT_USAGE, "--owner: '%s' is not a uid",
					    optarg);
			key_owner = uid;
			break;
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
		case 'V':
			versions = true;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (versions)
		return argc ? fail(EXIT_USAGE, "--version takes no object")
			    : print_versions();
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
