#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) the KUnit kernel tasklocal is tested under, and print the
# path of its build directory.
#
# The kernel is Debian's linux-source-6.12 configured with the fragment
# kunit/kernel.config. The build is cached outside the repository, keyed
# by a hash of the fragment and of the source package's version, so it is
# rebuilt only when one of them changes.
#
# usage: kunit-kernel.sh [--print-dir]
#   --print-dir  only print where the build would be, build nothing
#
# Environment: TASKLOCAL_CACHE (default /var/cache/tasklocal), JOBS.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fragment=$top/kunit/kernel.config
cache=${TASKLOCAL_CACHE:-/var/cache/tasklocal}
tarball=/usr/src/linux-source-6.12.tar.xz
jobs=${JOBS:-$(nproc)}

die() { echo "Error: $*" >&2; exit 1; }

[ -r "$tarball" ] || die "$tarball missing: run 'make deps' first"
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "package linux-source-6.12 not installed: run 'make deps'"
key=$( { cat "$fragment"; echo "$version"; } | sha256sum | cut -c1-16)
src=$cache/linux-source-6.12-$version
out=$cache/kunit-$key

if [ "${1:-}" = --print-dir ]; then
	echo "$out"
	exit 0
fi

if [ -e "$out/.tasklocal-built" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
if [ ! -e "$src/.unpacked" ]; then
	echo "  KUNIT   unpacking linux-source-6.12 ($version) into $src" >&2
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "$tarball"
	touch "$src/.unpacked"
fi

mkdir -p "$out"
log=$out/build.log
echo "  KUNIT   building the KUnit kernel in $out ($jobs jobs, log $log)" >&2
echo "          this takes about 8 minutes once; later runs reuse it" >&2

cp "$fragment" "$out/.config"
make -C "$src" O="$out" ARCH=x86_64 olddefconfig >"$log" 2>&1 ||
	die "olddefconfig failed, see $log"

# Every option the fragment sets must have survived olddefconfig:
# a missing dependency would otherwise silently drop it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}
		if grep -q "^$opt=" "$out/.config"; then
			echo "Error: $opt should be off" >&2; missing=1
		fi ;;
	CONFIG_*=*)
		if ! grep -qx "$line" "$out/.config"; then
			echo "Error: $line did not survive olddefconfig" >&2
			missing=1
		fi ;;
	esac
done <"$fragment"
[ $missing = 0 ] || die "kernel config incomplete, see $out/.config"

start=$(date +%s)
set +e
make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" 2>&1 | tee -a "$log" |
	awk -v t0="$start" '/^  (CC|AS|LD|AR)/ { n++ }
		n && n % 250 == 0 && n != last {
			last = n
			printf("  KUNIT   %d objects built (%ds)\n", n, systime() - t0)
			fflush()
		}' >&2
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || { tail -30 "$log" >&2; die "kernel build failed, see $log"; }
echo "  KUNIT   kernel built in $(( $(date +%s) - start ))s" >&2
touch "$out/.tasklocal-built"
echo "$out"
