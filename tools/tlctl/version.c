// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl version: the module's API version, features and limits.
 */
#include <stdio.h>
#include <unistd.h>

#include "tlctl.h"

int do_version(int argc, char **argv)
{
	struct tasklocal_version v;
	int fd, err;

	if (is_help(argc, argv)) {
		printf("Usage: %s version\n"
		       "\n"
		       "The module's ABI version, feature bits and limits (its parameters).\n",
		       prog);
		return EXIT_OK;
	}
	if (argc)
		return fail(EXIT_USAGE, "'version' takes no arguments");
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILURE_;
	err = tl_version(fd, &v);
	close(fd);
	if (err)
		return fail(EXIT_FAILURE_, "version: %s", tl_strerror(err));

	if (json_output) {
		json_begin_object();
		json_u64("api_major", v.api_major);
		json_u64("api_minor", v.api_minor);
		json_u64("features", v.features);
		json_key_object("limits");
		json_u64("max_value_size", v.max_value_size);
		json_u64("max_entries", v.max_entries);
		json_u64("max_user_keys", v.max_user_keys);
		json_u64("max_keys", v.max_keys);
		json_end_object();
		json_u64("map_initial_len", v.map_initial_len);
		json_u64("hash_increment", v.hash_increment);
		json_end_object();
		json_done();
		return EXIT_OK;
	}
	printf("tasklocal API %u.%u, features 0x%llx\n", v.api_major,
	       v.api_minor, (unsigned long long)v.features);
	printf("limits: value %u bytes, %u entries/task, %u keys/user, %u keys\n",
	       v.max_value_size, v.max_entries, v.max_user_keys, v.max_keys);
	printf("table: %u initial slots, hash increment 0x%x\n",
	       v.map_initial_len, v.hash_increment);
	return EXIT_OK;
}
