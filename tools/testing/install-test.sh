#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-test.sh KDIR: what a user's build, install and clean do, in a
# fresh clone of this repository (committed files only): the module for
# KDIR and the tools build; 'make install' into a staging tree puts every
# file where it belongs, with a .pc for its PREFIX that a program builds
# and runs with; 'make clean' leaves no build product ('git status
# --ignored' empty). Nothing is loaded into any kernel. TAP lines.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$1
# Debian's headers' kernelrelease is the upstream version: KVER of
# /lib/modules/KVER/build is where modules go
case $kdir in
/lib/modules/*/build) kver=$(basename "$(dirname "$kdir")") ;;
*) kver=$(make -s -C "$kdir" kernelrelease 2>/dev/null) ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
root=$tmp/root
n=0 failed=0
version=$(cat "$top/VERSION")

t() {
	local what=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok $n $what"
	else
		failed=$((failed + 1))
		echo "not ok $n $what"
		sed 's/^/# /' "$tmp/out" | tail -n 20
	fi
}

t "a fresh clone" git clone -q "$top" "$src"
t "make (the module, for $kver) and make tools" \
	make -C "$src" KDIR="$kdir" module tools
t "make install DESTDIR PREFIX=/usr" \
	make -C "$src" KDIR="$kdir" DESTDIR="$root" PREFIX=/usr install
for f in /lib/modules/$kver/updates/module/tasklocal.ko /usr/sbin/tlctl \
	 /usr/lib/libtasklocal.a /usr/lib/libtasklocal.so.1.$version \
	 /usr/lib/libtasklocal.so.1 /usr/lib/libtasklocal.so \
	 /usr/include/tasklocal/tasklocal.h \
	 /usr/include/tasklocal/linux/tasklocal.h \
	 /usr/lib/pkgconfig/libtasklocal.pc /usr/share/man/man8/tlctl.8 \
	 /usr/share/bash-completion/completions/tlctl; do
	t "installs $f" test -e "$root$f"
done
t "nothing under include/linux/ (the kernel headers' own)" \
	test ! -e "$root/usr/include/linux"
t "the installed module's version is the project's ($version)" \
	sh -c "[ \"\$(/sbin/modinfo -F version '$root/lib/modules/$kver/updates/module/tasklocal.ko')\" = '$version' ]"
t "the .pc is for PREFIX=/usr" \
	grep -qx 'prefix=/usr' "$root/usr/lib/pkgconfig/libtasklocal.pc"
cat >"$tmp/prog.c" <<'PROG'
#include <stdio.h>
#include <tasklocal.h>

int main(void)
{
	/* a structure of the uapi header, found through the .pc too */
	struct tasklocal_version v = { 0 };

	printf("%s %u\n", tl_library_version(), v.api_major);
	return 0;
}
PROG
pc() {
	PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_PATH=$root/usr/lib/pkgconfig \
		pkg-config "$@" libtasklocal
}
t "a program builds with pkg-config --cflags --libs libtasklocal" \
	sh -c "cc -Wall -Werror -o '$tmp/prog' '$tmp/prog.c' $(pc --cflags) $(pc --libs)"
t "... and runs against the installed shared library ($version)" \
	sh -c "[ \"\$(LD_LIBRARY_PATH='$root/usr/lib' '$tmp/prog')\" = '$version 0' ]"
t "make clean" make -C "$src" KDIR="$kdir" clean
t "make clean leaves no build product (git status --ignored)" \
	sh -c "! git -C '$src' status --ignored --porcelain | grep ."
echo "1..$n"
[ "$failed" = 0 ]
