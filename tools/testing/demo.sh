#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: boot Debian's stock kernel in a VM, load tasklocal and show
# a scripted tlctl session, then print what was shown.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$("$top/tools/testing/stock-kernel.sh")
build=$top/build/demo

rm -rf "$build"
mkdir -p "$build"
cp -r "$top/Kbuild" "$top/VERSION" "$top/module" "$top/kunit" "$top/include" \
	"$build/"
echo "  DEMO    building tasklocal.ko for $kver and tlctl"
make -s -C "/lib/modules/$kver/build" M="$build" modules >"$build/build.log" 2>&1 ||
	{ cat "$build/build.log"; exit 1; }
make -s -C "$top" tools >>"$build/build.log" 2>&1 ||
	{ cat "$build/build.log"; exit 1; }

echo "  DEMO    booting $kver in QEMU (about 15 s)"
"$top/tools/testing/vm-run.sh" -k "/boot/vmlinuz-$kver" \
	-a "$build/module/tasklocal.ko:/lib/tasklocal.ko" \
	-a "$top/tools/tlctl/tlctl:/bin/tlctl" \
	-l "$build/console.log" \
	"$top/tools/testing/demo-session.sh" >"$build/session.txt" 2>&1 ||
	{ cat "$build/session.txt"; exit 1; }
# Kernel messages interleave with the session on the console: keep ours.
grep -v -E '^\[ *[0-9]+\.[0-9]+\]|^VM: ' "$build/session.txt"
echo
echo "  DEMO    done: the session above ran in the VM (log: $build/console.log)"
