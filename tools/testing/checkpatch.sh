#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch --strict over the project's C sources and headers, and
# kernel-doc -Wall over the kernel side's (module/, include/, kunit/).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
src=$(ls -d "${TASKLOCAL_CACHE:-/var/cache/tasklocal}"/linux-source-6.12-*/ 2>/dev/null | head -1 || true)
if [ -z "$src" ]; then
	# no unpacked kernel source yet: take checkpatch and its data files
	# from the source package
	src=$(mktemp -d /tmp/tasklocal-checkpatch.XXXXXX)
	trap 'rm -rf "$src"' EXIT
	tar -C "$src" --strip-components=1 --wildcards -xf \
		/usr/src/linux-source-6.12.tar.xz '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' \
		'*/scripts/kernel-doc'
fi
cp=$src/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "Error: $cp not found (from linux-source-6.12: run make deps)" >&2; exit 1; }

cd "$top"
# tools/testing/shim/ stands in for kernel headers in userspace builds and
# is written in their idiom (typedef spinlock_t, no-op EXPORT_* macros).
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' |
	grep -v -e '^build/' -e '^tools/testing/shim/')
status=0
for f in $files; do
	ignore=FILE_PATH_CHANGES
	# Userspace has no <linux/compiler.h>: it defines its own __printf.
	case "$f" in
	tools/*) ignore+=,PREFER_DEFINED_ATTRIBUTE_MACRO ;;
	esac
	if ! "$cp" --no-tree --strict --quiet --show-types --ignore "$ignore" \
		-f "$f"; then
		status=1
	fi
done
[ $status = 0 ] && echo "checkpatch: $(echo "$files" | wc -w) files clean"

kdoc=$(echo "$files" | grep -E '^(module|include|kunit)/')
# shellcheck disable=SC2086
warnings=$("$src/scripts/kernel-doc" -none -Wall $kdoc 2>&1)
if [ -n "$warnings" ]; then
	echo "$warnings"
	status=1
else
	echo "kernel-doc -Wall: $(echo "$kdoc" | wc -w) files without a warning"
fi
exit $status
