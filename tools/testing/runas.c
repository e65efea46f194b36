// SPDX-License-Identifier: GPL-2.0-only
/*
 * runas UID[:GID] CMD [ARGS]...: run CMD as UID (and GID, by default the
 * same number), with no supplementary groups and no capabilities left.
 * For the VM tests, whose busybox has no reliable way to drop to a user
 * without a password database.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_id(const char *s, char **end, unsigned long *id)
{
	errno = 0;
	*id = strtoul(s, end, 10);
	return errno || *end == s || *id > 0xfffffffe ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long uid, gid;
	char *end;

	if (argc < 3 || parse_id(argv[1], &end, &uid)) {
		fprintf(stderr, "usage: runas UID[:GID] CMD [ARGS]...\n");
		return 2;
	}
	gid = uid;
	if (*end == ':' && parse_id(end + 1, &end, &gid))
		end = "?";
	if (*end) {
		fprintf(stderr, "runas: bad UID[:GID] '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("runas");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
