#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages, as a user gets them. TAP lines.
#
#   deb-test.sh build OUT KDIR   build them (dpkg-buildpackage, from the
#                                committed files), lint them (lintian),
#                                build the packaged module with DKMS for
#                                KDIR's kernel (Debian's stock one), and
#                                boot that kernel in a VM to use the
#                                packaged module, tlctl and library
#   deb-test.sh dkms OUT KDIR    build the packaged module with DKMS for
#                                another kernel tree (a 6.12 one)
#
# OUT keeps the packages and logs. DKMS works in a tree of its own under
# OUT: nothing is installed into this machine's /lib/modules, and nothing
# is loaded into its kernel.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
mode=$1 out=$2 kdir=$3
version=$(cat "$top/VERSION")
n=0 failed=0

t() {
	local what=$1 log=$out/step-$((n + 1)).log
	shift
	n=$((n + 1))
	if "$@" >"$log" 2>&1; then
		echo "ok $n $what"
	else
		failed=$((failed + 1))
		echo "not ok $n $what"
		tail -n 20 "$log" | sed 's/^/# /'
	fi
}

finish() {
	echo "1..$n"
	[ "$failed" = 0 ]
	exit $?
}

# The release of the kernel of tree KDIR: /lib/modules/KVER/build's KVER
# (Debian's headers say the upstream version), else what the tree says.
kernel_release() {
	case $1 in
	/lib/modules/*/build) basename "$(dirname "$1")" ;;
	*) make -s -C "$1" kernelrelease ;;
	esac
}

# dkms_build KDIR: add the packaged source to OUT's own DKMS tree, build
dkms_build() {
	local kver tree=$out/dkms src=$out/root/usr/src

	kver=$(kernel_release "$1") || return 1
	[ -e "$tree/tasklocal/$version/source" ] ||
		dkms add -m tasklocal -v "$version" --dkmstree "$tree" \
			--sourcetree "$src" || return 1
	dkms build -m tasklocal -v "$version" -k "$kver" --dkmstree "$tree" \
		--sourcetree "$src" --kernelsourcedir "$1" &&
		test -e "$tree/tasklocal/$version/$kver/x86_64/module/tasklocal.ko"
}

if [ "$mode" = dkms ]; then
	t "dkms build of tasklocal-dkms for the tree $(basename "$kdir")" \
		dkms_build "$kdir"
	finish
fi

build_packages() {
	rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
	mkdir -p "$out/src"
	git -C "$top" archive HEAD | tar -x -C "$out/src" &&
		(cd "$out/src" && dpkg-buildpackage -us -uc -b)
}

t "dpkg-buildpackage builds tasklocal-dkms, tlctl, libtasklocal1, libtasklocal-dev" \
	build_packages
for p in tasklocal-dkms_${version}_all tlctl_${version}_amd64 \
	 libtasklocal1_${version}_amd64 libtasklocal-dev_${version}_amd64; do
	t "lintian: ${p%%_*} has no error or warning" \
		lintian --fail-on error,warning --pedantic -I "$out/$p.deb"
done
rm -rf "$out/root" "$out/dkms"
mkdir -p "$out/root" "$out/dkms"
for p in "$out"/*.deb; do
	case $p in *dbgsym*) continue ;; esac
	dpkg-deb -x "$p" "$out/root" || exit 1
done
kver=$(kernel_release "$kdir")
t "dkms build of tasklocal-dkms for Debian's $kver" dkms_build "$kdir"

# A program of the library's users, built with the packaged -dev's .pc,
# run in the VM against the packaged shared library. The VM has no C
# library: the packaged programs get this machine's (Debian's, theirs).
lib=$out/root/usr/lib/x86_64-linux-gnu
cat >"$out/libcheck.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
#include <tasklocal.h>

int main(void)
{
	struct tasklocal_version v;
	int fd = tl_open();

	if (fd < 0 || tl_version(fd, &v))
		return 1;
	printf("libtasklocal %s, module API %u.%u\n", tl_library_version(),
	       v.api_major, v.api_minor);
	close(fd);
	return 0;
}
EOF
pc() {
	PKG_CONFIG_SYSROOT_DIR=$out/root PKG_CONFIG_PATH=$lib/pkgconfig \
		pkg-config "$@" libtasklocal
}
t "a program builds against libtasklocal-dev (pkg-config)" \
	sh -c "cc -Wall -Werror -o '$out/libcheck' '$out/libcheck.c' $(pc --cflags) -L'$lib' -ltasklocal"

cat >"$out/vm.sh" <<EOF
. /test/lib.sh
check "insmod of the module DKMS built" insmod /lib/tasklocal.ko
check_output "the packaged tlctl says the versions: $version, module $version" \\
	'^module $version, API ' /usr/sbin/tlctl --version
check "the packaged tlctl creates a key" /usr/sbin/tlctl key create deb.k
check_output "... runs a command with a value set" '"x"' \\
	/usr/sbin/tlctl run --set deb.k=x -- /usr/sbin/tlctl table show self --values
check_output "a program linked with the packaged libtasklocal.so.1 asks the module" \\
	'^libtasklocal $version, module API 0\\.' /usr/bin/libcheck
check "... and the key is deleted" /usr/sbin/tlctl key delete deb.k
check "rmmod" rmmod tasklocal
EOF
vm() {
	"$top/tools/testing/vm-run.sh" -k "/boot/vmlinuz-$kver" -l "$out/console.log" \
		-a "$out/dkms/tasklocal/$version/$kver/x86_64/module/tasklocal.ko:/lib/tasklocal.ko" \
		-a "$out/root/usr/sbin/tlctl:/usr/sbin/tlctl" \
		-a "$lib/libtasklocal.so.1.$version:/lib/x86_64-linux-gnu/libtasklocal.so.1" \
		-a "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6):/lib/x86_64-linux-gnu/libc.so.6" \
		-a "$(readlink -f /lib64/ld-linux-x86-64.so.2):/lib64/ld-linux-x86-64.so.2" \
		-a "$out/libcheck:/usr/bin/libcheck" \
		-a "$top/tools/testing/lib.sh:/test/lib.sh" "$out/vm.sh"
}
vm >"$out/vm.log" 2>&1
vm_ok=$?
grep -E '^(not )?ok ' "$out/vm.log" | while read -r verdict rest; do
	case $verdict in
	ok) echo "ok $rest" ;;
	*) echo "not ok ${rest#ok }" ;;
	esac
done
n=$((n + $(grep -cE '^(not )?ok ' "$out/vm.log")))
failed=$((failed + $(grep -c '^not ok ' "$out/vm.log")))
t "the stock VM with the packaged module and tools: no kernel report" \
	test "$vm_ok" = 0
finish
