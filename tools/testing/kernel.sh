#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) one of the test kernels and print its build directory.
#
# A test kernel is one of Debian's linux-source-X packages configured
# with a checked-in fragment, tools/testing/kernels/NAME.config, applied
# to an empty .config with olddefconfig. A fragment names its source with
# "# source: X" and may start from others with "# include: FILE" (a path
# from the top of the repository); where an option is set twice, the
# last setting wins. Every option the result sets is checked after
# olddefconfig: a missing dependency would otherwise drop it silently.
# The build is cached outside the repository, keyed by a hash of the
# effective fragment and of the source package's version.
#
# usage: kernel.sh [--print-dir] [--source] NAME
#   --print-dir  only print where the build would be, build nothing
#   --source     print the unpacked source tree instead (unpacking it)
#
# Environment: TASKLOCAL_CACHE (default /var/cache/tasklocal), JOBS.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${TASKLOCAL_CACHE:-/var/cache/tasklocal}
jobs=${JOBS:-$(nproc)}
mode=build

die() { echo "Error: $*" >&2; exit 1; }
say() { echo "  KERNEL  $name: $*" >&2; }

while [ $# -gt 1 ]; do
	case "$1" in
	--print-dir) mode=print ;;
	--source) mode=source ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
[ $# = 1 ] || die "usage: kernel.sh [--print-dir] [--source] NAME"
name=$1
fragment=$here/kernels/$name.config
[ -r "$fragment" ] || die "no fragment $fragment"

# the fragment with its includes expanded, includes first
expand() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"# include: "*) expand "$top/${line#\# include: }" ;;
		*) echo "$line" ;;
		esac
	done <"$1"
}

# the last setting of each option, in the order options first appear
effective() {
	expand "$fragment" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ {
			opt = $0; sub(/=.*/, "", opt)
			if (!(opt in val)) order[n++] = opt
			val[opt] = $0
		}
		END { for (i = 0; i < n; i++) print val[order[i]] }'
}

sv=$(expand "$fragment" | sed -n 's/^# source: //p' | tail -n 1)
[ -n "$sv" ] || die "$fragment names no '# source: X'"
pkg=linux-source-$sv
tarball=/usr/src/$pkg.tar.xz
[ -r "$tarball" ] || die "$tarball missing: run 'make deps' first"
version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "package $pkg not installed: run 'make deps'"
key=$( { effective; echo "$pkg $version"; } | sha256sum | cut -c1-16)
src=$cache/$pkg-$version
out=$cache/$name-$key

# one unpacking of a source at a time: make check's lanes may need the
# same one together
unpack() {
	[ -e "$src/.unpacked" ] && return
	exec 9>"$cache/.unpack-$pkg.lock"
	flock 9
	if [ ! -e "$src/.unpacked" ]; then
		say "unpacking $pkg ($version) into $src"
		rm -rf "$src"
		mkdir -p "$src"
		tar -C "$src" --strip-components=1 -xf "$tarball"
		touch "$src/.unpacked"
	fi
	exec 9>&-
}

case $mode in
print) echo "$out"; exit 0 ;;
source) mkdir -p "$cache"; unpack; echo "$src"; exit 0 ;;
esac

if [ -e "$out/.tasklocal-built" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
unpack
mkdir -p "$out"
log=$out/build.log
say "building in $out ($jobs jobs, log $log)"
say "this takes about 8 minutes once (13 to 16 beside another build); later runs reuse it"

effective >"$out/.config"
make -C "$src" O="$out" ARCH=x86_64 olddefconfig >"$log" 2>&1 ||
	die "olddefconfig failed, see $log"

missing=0
while IFS= read -r line; do
	opt=${line%%=*}
	case "$line" in
	*=n) if grep -q "^$opt=" "$out/.config"; then
		echo "Error: $opt should be off" >&2; missing=1
	     fi ;;
	*) if ! grep -qx "$line" "$out/.config"; then
		echo "Error: $line did not survive olddefconfig" >&2
		missing=1
	   fi ;;
	esac
done < <(effective)
[ $missing = 0 ] || die "kernel config incomplete, see $out/.config"

start=$(date +%s)
set +e
make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" 2>&1 | tee -a "$log" |
	awk -v t0="$start" -v name="$name" '/^  (CC|AS|LD|AR)/ { n++ }
		n && n % 500 == 0 && n != last {
			last = n
			printf("  KERNEL  %s: %d objects built (%ds)\n", name, n,
			       systime() - t0)
			fflush()
		}' >&2
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || { tail -30 "$log" >&2; die "kernel build failed, see $log"; }
say "built in $(( $(date +%s) - start ))s"
touch "$out/.tasklocal-built"
echo "$out"
