#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch --strict over the project's C sources and headers.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
src=$(ls -d "${TASKLOCAL_CACHE:-/var/cache/tasklocal}"/linux-source-6.12-*/ 2>/dev/null | head -1)
if [ -z "$src" ]; then
	src=$("$top/tools/testing/kunit-kernel.sh" --print-dir >/dev/null &&
	      ls -d "${TASKLOCAL_CACHE:-/var/cache/tasklocal}"/linux-source-6.12-*/ | head -1)
fi
cp=$src/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "Error: $cp not found (the KUnit kernel step unpacks it)" >&2; exit 1; }

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
exit $status
