// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlctl version: the module's API version, features and limits.
 * tlctl --version: the versions of the tool, the library and the module.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tlctl.h"

#define MODULE_VERSION_FILE	"/sys/module/tasklocal/version"

/* The loaded module's version (its MODULE_VERSION), or false. */
static bool module_version(char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(MODULE_VERSION_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

/*
 * tlctl --version, -V: the tool's version, the library's and, if it is
 * loaded, the module's with its API. Status 0 either way, as ip -V.
 */
int print_versions(void)
{
	struct tasklocal_version v;
	char mod[64] = "";
	bool have_mod;
	int fd, err = -ENODEV;

	have_mod = module_version(mod, sizeof(mod));
	fd = tl_open();
	if (fd >= 0) {
		err = tl_version(fd, &v);
		close(fd);
	}
	if (json_output) {
		json_begin_object();
		json_string("tlctl", TASKLOCAL_VERSION);
		json_string("library", tl_library_version());
		if (err) {
			json_null("module");
		} else {
			json_key_object("module");
			json_string_or_null("version", have_mod ? mod : "");
			json_u64("api_major", v.api_major);
			json_u64("api_minor", v.api_minor);
			json_end_object();
		}
		json_end_object();
		json_done();
		return EXIT_OK;
	}
	printf("tlctl %s, libtasklocal %s\n", TASKLOCAL_VERSION,
	       tl_library_version());
	if (err)
		printf("module: not loaded (%s: %s)\n", TASKLOCAL_DEVICE,
		       tl_strerror(fd < 0 ? fd : err));
	else
		printf("module %s, API %u.%u\n", have_mod ? mod : "(unknown)",
		       v.api_major, v.api_minor);
	return EXIT_OK;
}

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
