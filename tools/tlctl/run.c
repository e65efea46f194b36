// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl run [--set NAME=VALUE]... [--] CMD [ARGS]...
 *
 * Sets values in tlctl's own table, then becomes CMD with execvp(). The
 * table belongs to the task, not to the program it runs, so the values
 * are still there for CMD; inheritable ones also reach CMD's children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tlctl.h"

/* Exit statuses of a command that could not be run (as env(1) has them). */
#define EXIT_CANNOT_RUN		126
#define EXIT_NOT_FOUND		127

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s run [--set NAME=VALUE]... [--] CMD [ARGS]...\n"
		"       %s run help\n"
		"\n"
		"Sets each NAME to VALUE in this task's own table, then runs CMD in\n"
		"the same task (execvp): CMD finds the values there, and children\n"
		"it forks get those of inheritable keys. The keys must exist\n"
		"('%s key create NAME'). Exit status: CMD's, or 1 if a value cannot\n"
		"be set, 126 if CMD cannot be run, 127 if it is not found.\n",
		prog, prog, prog);
}

static int set_error(int err, const char *name, size_t len,
		     const struct tasklocal_key_info *k)
{
	switch (-err) {
	case EACCES:
		return fail(EXIT_FAILURE_,
			    "cannot set '%s': key of uid %u, whose mode lets no other user set values",
			    name, k->uid);
	case E2BIG:
		return fail(EXIT_FAILURE_,
			    "value for '%s' is %zu bytes, over the module's max_value_size",
			    name, len);
	case ENOSPC:
		return fail(EXIT_FAILURE_,
			    "cannot set '%s': this task holds max_entries entries",
			    name);
	case ENOENT:
		return fail(EXIT_FAILURE_, "key '%s' died meanwhile", name);
	}
	return fail(EXIT_FAILURE_, "cannot set '%s': %s", name,
		    tl_strerror(err));
}

/* NAME=VALUE (checked): set it in this task's table. An exit status. */
static int set_one(int fd, char *assignment)
{
	struct tasklocal_key_info k;
	char *eq = strchr(assignment, '=');
	const char *value;
	int ret;

	*eq = '\0';
	value = eq + 1;
	ret = resolve_key(fd, assignment, &k);
	if (ret)
		return ret;
	ret = tl_set(fd, k.id, value, strlen(value), 0);
	if (ret)
		return set_error(ret, assignment, strlen(value), &k);
	return EXIT_OK;
}

/* Split the arguments: --set options, then the command (argv[*cmd]). */
static int parse_run(int argc, char **argv, char **sets, int *nr_sets,
		     int *cmd)
{
	int i;

	*nr_sets = 0;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strncmp(argv[i], "--set=", 6)) {
			sets[(*nr_sets)++] = argv[i] + 6;
		} else if (!strcmp(argv[i], "--set") || !strcmp(argv[i], "-s")) {
			if (i + 1 == argc)
				return fail(EXIT_USAGE, "run: --set needs NAME=VALUE");
			sets[(*nr_sets)++] = argv[++i];
		} else if (argv[i][0] == '-') {
			return fail(EXIT_USAGE, "run: unknown option '%s'",
				    argv[i]);
		} else {
			break;
		}
	}
	*cmd = i;
	if (i == argc)
		return fail(EXIT_USAGE, "run: CMD is missing; see '%s run help'",
			    prog);
	for (i = 0; i < *nr_sets; i++)
		if (sets[i][0] == '=' || !strchr(sets[i], '='))
			return fail(EXIT_USAGE,
				    "run: --set wants NAME=VALUE, not '%s'",
				    sets[i]);
	return EXIT_OK;
}

int do_run(int argc, char **argv)
{
	int fd, i, nr_sets = 0, cmd = 0, ret;
	char **sets;

	if (is_help(argc, argv)) {
		run_usage(stdout);
		return EXIT_OK;
	}
	sets = calloc(argc + 1, sizeof(*sets));
	if (!sets)
		return fail(EXIT_FAILURE_, "out of memory");
	ret = parse_run(argc, argv, sets, &nr_sets, &cmd);
	if (ret)
		goto out;
	if (nr_sets) {
		fd = open_device();
		if (fd < 0) {
			ret = EXIT_FAILURE_;
			goto out;
		}
		for (i = 0; i < nr_sets && !ret; i++)
			ret = set_one(fd, sets[i]);
		close(fd);
		if (ret)
			goto out;
	}
	fflush(stdout);
	execvp(argv[cmd], argv + cmd);
	ret = errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
	fail(ret, "cannot run '%s': %s", argv[cmd], strerror(errno));
out:
	free(sets);
	return ret;
}
