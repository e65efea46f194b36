#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh: the benchmark suite, as run by 'make bench'.
#
# Builds tasklocal.ko and the in-kernel benchmark tasklocal_bench.ko
# against Debian's stock kernel headers (from a staged copy of the
# sources, so that modpost sees tasklocal's exports), the static
# userspace benchmark ubench, and the native table harness; counts the
# native lookup's instructions with callgrind; boots the stock kernel in
# QEMU with -icount shift=0 (guest time = guest instructions: figures
# repeat exactly) for the in-kernel, ioctl, memory and hook figures;
# then writes docs/BENCHMARKS.md and docs/bench-get-vs-keys.png.
#
# Benchmarks print figures and ratios; they assert no timing. Nothing is
# loaded into this machine's kernel.
#
# Environment: ROUNDS (hook rounds, default 10), FORKS, THREADS (cycles
# per hook run), IOCTLS, MEM_ENTRIES, MEM_REPS, NATIVE_ITERS, SWEEP_TASKS
# (idle threads the sweeper is timed over, default "1000 10000"),
# SCALE_KEYS (keys of the registry's scale run, default 65536); TCG=1 adds
# a run of the hook benchmark under plain TCG, timed by the wall clock
# (its run-to-run spread is far larger than the hooks' cost, so it is
# not part of the default run).

set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tools/testing/bench
out=$top/build/bench
start=$(date +%s)

rounds=${ROUNDS:-10}
forks=${FORKS:-300}
threads=${THREADS:-500}
ioctls=${IOCTLS:-20000}
mem_entries=${MEM_ENTRIES:-10000}
mem_reps=${MEM_REPS:-2}
native_iters=${NATIVE_ITERS:-100000}
sweep_tasks=${SWEEP_TASKS:-1000 10000}
scale_keys=${SCALE_KEYS:-65536}
# MODULE_SRC=DIR: the module from another tree (an older commit's
# checkout), for the figures "before" a change; with SECTIONS=scale only
# the scale run, its BENCH lines printed, no report
module_src=${MODULE_SRC:-$top}
sections=${SECTIONS:-kernel sweep ioctl mem hooks scale}

say() { printf '  %-7s %s\n' "$1" "$2"; }

die() {
	echo "bench: error: $*" >&2
	exit 1
}

# need CMD PACKAGE: install PACKAGE from Debian if CMD is missing
need() {
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] ||
		die "'$1' not found: apt-get install $2 (as root), then run again"
	say DEPS "installing $2"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 || {
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "$2" >/dev/null
	}
}

need gnuplot gnuplot-nox
need valgrind valgrind
need python3 python3

kver=$("$top/tools/testing/stock-kernel.sh")
kdir=/lib/modules/$kver/build
image=/boot/vmlinuz-$kver

rm -rf "$out"
mkdir -p "$out/kbuild/bench" "$out/cg"

# A copy of the module's sources (not its build products) with the
# benchmark module beside it, under a top Kbuild that also descends into
# bench/: one modpost run sees both modules.
say STAGE "sources for $kver in build/bench/kbuild"
(cd "$module_src" && git ls-files -co --exclude-standard -- Kbuild VERSION module include kunit |
	while read -r f; do [ -e "$f" ] && echo "$f"; done |
	cpio -pdm --quiet "$out/kbuild")
cp "$here/Kbuild" "$here/tasklocal_bench.c" "$out/kbuild/bench/"
{ cat "$top/Kbuild"; echo; echo "obj-m += bench/"; } >"$out/kbuild/Kbuild"

say CC "tasklocal.ko, tasklocal_bench.ko (W=1, -Werror)"
make -C "$kdir" M="$out/kbuild" W=1 KCFLAGS=-Werror modules \
	>"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; die "module build failed"; }
say CC "tlctl (static)"
make -C "$top" -s tools >>"$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; die "tools build failed"; }
say CC "ubench (static), native"
gcc -static -O2 -Wall -Wextra -Werror -pthread -I "$top/include/uapi" \
	-o "$out/ubench" "$here/ubench.c" >>"$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; die "ubench build failed"; }
gcc -O2 -g -Wall -Wextra -Werror -pthread -I "$top/tools/testing/shim" \
	-o "$out/native" "$here/native.c" "$out/kbuild/module/map.c" \
	"$top/tools/testing/shim/map-env.c" \
	>>"$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; die "native build failed"; }

if [ "$sections" != scale ]; then
	say NATIVE "tlmap_lookup and pthread_getspecific under callgrind"
	valgrind --tool=callgrind --callgrind-out-file="$out/cg/cg.out" \
		"$out/native" "$native_iters" >"$out/native-info.txt" \
		2>"$out/valgrind.log" ||
		{ tail "$out/valgrind.log"; die "native run failed"; }
fi

# vm_bench NAME SECTIONS [vm-run.sh options]: one VM run of vm-bench.sh,
# its PROGRESS lines shown as they come
vm_bench() {
	local name=$1 sections=$2 log=$out/console-$1.log res=$out/vm-$1.txt
	local conf=$out/bench-$1.conf pid shown=0 n
	shift 2
	cat >"$conf" <<-EOF
		SECTIONS="$sections"
		ROUNDS=$rounds
		FORKS=$forks
		THREADS=$threads
		IOCTLS=$ioctls
		MEM_ENTRIES=$mem_entries
		MEM_REPS=$mem_reps
		MEM_SETTLE=6
		SWEEP_TASKS="$sweep_tasks"
		SCALE_KEYS=$scale_keys
	EOF
	: >"$log"
	"$top/tools/testing/vm-run.sh" -k "$image" -s 1 -t "${VM_TIMEOUT:-1800}" -l "$log" \
		-a "$out/kbuild/module/tasklocal.ko:/lib/tasklocal.ko" \
		-a "$out/kbuild/bench/tasklocal_bench.ko:/lib/tasklocal_bench.ko" \
		-a "$out/ubench:/bin/ubench" -a "$conf:/test/bench.conf" \
		-a "$top/tools/tlctl/tlctl:/bin/tlctl" \
		"$@" "$here/vm-bench.sh" >"$res" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		n=$(tr -d '\r' <"$log" | grep -c '^PROGRESS ' || true)
		if [ "${n:-0}" -gt "$shown" ]; then
			tr -d '\r' <"$log" | grep '^PROGRESS ' |
				sed -n "$((shown + 1)),\$s/^PROGRESS /  VM      [$name] /p"
			shown=$n
		fi
	done
	if ! wait "$pid"; then
		tail -20 "$res"
		die "the $name VM run failed (console: $log)"
	fi
}

say VM "$kver, 1 vCPU, -icount shift=0: $sections"
vm_bench icount "$sections" -x -icount -x shift=0 -m 2048
if [ "$sections" = scale ]; then
	grep '^BENCH scale ' "$out/vm-icount.txt"
	exit 0
fi
if [ "${TCG:-0}" = 1 ]; then
	say VM "$kver, 1 vCPU, plain TCG (wall clock): hooks"
	vm_bench tcg "hooks"
fi

{
	echo "commit=$(git -C "$top" rev-parse --short HEAD)"
	# its own output, docs/, does not count as a change to what is measured
	if [ -n "$(git -C "$top" status --porcelain --untracked-files=no -- . ":!docs")" ]; then
		echo "dirty=1"
	fi
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "ncpu=$(nproc)"
	echo "host_kernel=Linux $(uname -r)"
	echo "qemu=$(qemu-system-x86_64 --version | head -1 | sed 's/ (.*//')"
	echo "gcc=$(gcc --version | head -1)"
	echo "valgrind=$(valgrind --version)"
	echo "scale_keys=$scale_keys"
	echo "elapsed=$(( $(date +%s) - start ))"
} >"$out/meta.txt"

say REPORT "docs/BENCHMARKS.md, docs/bench-get-vs-keys.png"
mkdir -p "$top/docs"
python3 "$here/report.py" --dir "$out" --mem-entries "$mem_entries" \
	--out "$top/docs/BENCHMARKS.md" --png "$top/docs/bench-get-vs-keys.png"
say DONE "in $(( $(date +%s) - start )) s; raw output in build/bench/"
