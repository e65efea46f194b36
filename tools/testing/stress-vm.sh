#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# stress-vm.sh: the race stress test alone, for a long time, in a VM of
# Debian's stock kernel ('make stress DURATION=600').
#
# Builds the module against the stock headers and the static test
# programs, boots the stock kernel, loads the module, runs
# tests/80-stress.sh with STRESS_SECONDS=DURATION, and unloads it. The
# VM's time limit is DURATION plus room to boot, settle and scan.
#
# usage: stress-vm.sh [-d SECONDS] [-t THREADS] [-K KVER | -k KERNEL]
#   -d SECONDS   how long stress runs (default 600)
#   -t THREADS   its threads (default 64)
#   -K KVER      an installed Debian kernel other than stock-kernel.sh's
#                choice, e.g. 6.1.0-57-amd64 or 6.1.0-57-rt-amd64
#   -k KERNEL    another kernel image; the module must be built for it
#                (then MODULE=path/to/tasklocal.ko)

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
duration=600 threads=64 kernel= kver=
while getopts "d:t:k:K:" opt; do
	case "$opt" in
	d) duration=$OPTARG ;;
	t) threads=$OPTARG ;;
	k) kernel=$OPTARG ;;
	K) kver=$OPTARG ;;
	*) sed -n '/^# usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
case "$duration$threads" in
*[!0-9]*) echo "Error: -d and -t take numbers" >&2; exit 2 ;;
esac

out=$top/build/stress-vm
mkdir -p "$out"
ko=${MODULE:-}
if [ -z "$kernel" ]; then
	[ -n "$kver" ] || kver=$("$top/tools/testing/stock-kernel.sh")
	kernel=/boot/vmlinuz-$kver
	if [ -z "$ko" ]; then
		rm -rf "$out/mod"
		mkdir -p "$out/mod"
		cp -r "$top/Kbuild" "$top/VERSION" "$top/module" \
			"$top/kunit" "$top/include" "$out/mod/"
		make -C "/lib/modules/$kver/build" M="$out/mod" W=1 \
			KCFLAGS=-Werror modules >"$out/build.log" 2>&1 ||
			{ tail -n 25 "$out/build.log"; exit 1; }
		ko=$out/mod/module/tasklocal.ko
	fi
fi
[ -n "$ko" ] || { echo "Error: with -k, set MODULE=" >&2; exit 2; }
make -C "$top" tools >"$out/tools.log" 2>&1 ||
	{ tail -n 25 "$out/tools.log"; exit 1; }

# what runs in the VM: the environment is not passed in, so it is written
script=$out/run.sh
cat >"$script" <<SCRIPT
. /test/lib.sh
STRESS_SECONDS=$duration
STRESS_THREADS=$threads
check "insmod tasklocal.ko" insmod /lib/tasklocal.ko
. /test/tests/80-stress.sh
check "rmmod tasklocal" rmmod tasklocal
SCRIPT

"$top/tools/testing/vm-run.sh" -k "$kernel" -t $((duration + 300)) \
	-l "$out/console.log" \
	-a "$ko:/lib/tasklocal.ko" \
	-a "$top/tools/tlctl/tlctl:/bin/tlctl" \
	-a "$top/tools/testing/lib.sh:/test/lib.sh" \
	-a "$top/tools/testing/tests/80-stress.sh:/test/tests/80-stress.sh" \
	-a "$top/build/testing/stress:/bin/stress" \
	"$script" | tee "$out/vm.log"
rc=${PIPESTATUS[0]}
if grep -q '^not ok ' "$out/vm.log"; then
	echo "stress-vm: FAIL: $(grep -c '^not ok ' "$out/vm.log") TAP failures (see $out/vm.log)" >&2
	exit 1
fi
exit "$rc"
