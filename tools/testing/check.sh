#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh: the whole test suite, as run by 'make check' and CI.
#
# Builds the module against Debian's stock kernel headers (and its
# PREEMPT_RT kernel's) and against the test kernels of tools/testing/
# kernels/ (built once and cached: debug, debug-6.1, kcsan, rt), runs the
# native table tests (the differential test against OpenJDK's
# ThreadLocalMap, the two-thread race), boots every kernel in QEMU to
# run the integration tests and, where the kernel has KUnit's API, the
# KUnit suites, and runs checkpatch. Ends with one line
# "N passed, N failed".
#
# Environment: KEEP_GOING=0 stops at the first failure (and runs the VM
# stages one after the other); ONLY=a,b runs only the named stages
# (build,native,stock,stock-rt,debug,debug-6.1,kcsan,rt,style,packages;
# kunit is another name for debug); LANES=1 runs the VM stages one after
# the other instead of in two lanes side by side.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/check
mkdir -p "$out"
passed=0
failed=0
failures=()
only=${ONLY:-}

say() { printf '%s\n' "$*"; }

want() {
	[ -z "$only" ] || [[ ",$only," == *",$1,"* ]]
}

pass() { passed=$((passed + 1)); say "PASS  $1"; }

fail() {
	failed=$((failed + 1))
	failures+=("$1")
	say "FAIL  $1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		tail -n 25 "$2" | sed 's/^/      | /'
		say "      (full log: $2)"
	fi
	if [ "${KEEP_GOING:-1}" = 0 ]; then
		finish
	fi
}

# step NAME CMD...: one test, its output in build/check/NAME.log
step() {
	local name=$1 log start
	shift
	log=$out/$(echo "$name" | tr ' /:' '___').log
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		pass "$name ($(( $(date +%s) - start ))s)"
		return 0
	fi
	fail "$name" "$log"
	return 1
}

# count_tap NAME LOG: every "ok N name" / "not ok N name" line counts,
# but those of a KUnit document (KTAP-BEGIN to KTAP-END: kunit_results)
count_tap() {
	local prefix=$1 log=$2 line
	while IFS= read -r line; do
		case "$line" in
		"not ok "*) fail "$prefix: ${line#not ok }" ;;
		"ok "*) pass "$prefix: ${line#ok }" ;;
		esac
	done < <(tr -d '\r' <"$log" | sed '/^KTAP-BEGIN/,/^KTAP-END/d' |
		 grep -E '^(not )?ok [0-9]+ ')
}

finish() {
	say ""
	if [ ${#failures[@]} -gt 0 ]; then
		say "Failed:"
		printf '  %s\n' "${failures[@]}"
	fi
	say "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

stock_kver=$("$top/tools/testing/stock-kernel.sh")
stock_kdir=/lib/modules/$stock_kver/build
stock_image=/boot/vmlinuz-$stock_kver

# Copy the module sources to a build dir per kernel: kbuild writes its
# objects beside the sources.
stage() {
	local dir=$1
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -r "$top/Kbuild" "$top/VERSION" "$top/module" "$top/kunit" \
		"$top/include" "$dir/"
}

kbuild() {
	make -C "$1" M="$2" W=1 KCFLAGS=-Werror modules
}

# sparse over every file (C=2), failing on any warning it prints
sparse_clean() {
	local out
	stage "$top/build/sparse"
	out=$(make -C "$1" M="$top/build/sparse" C=2 modules 2>&1) ||
		{ echo "$out"; return 1; }
	echo "$out"
	! echo "$out" | grep -E '^/.*: (warning|error):'
}

# the two-thread test of module/map.c, built natively
map_race() {
	gcc -Wall -Wextra -Werror -O1 -g -pthread \
		-I "$top/tools/testing/shim" -o "$out/map-race" \
		"$top/tools/testing/map/race.c" "$top/module/map.c" &&
		"$out/map-race" 100000
}

# tlctl's JSON writer fed random bytes, read back by Python's strict
# parser: compact and indented (-p)
json_roundtrip() {
	gcc -Wall -Wextra -Werror -O1 -I "$top/include/uapi" \
		-DTASKLOCAL_VERSION='"test"' -o "$out/json-roundtrip" \
		"$top/tools/testing/json/roundtrip.c" "$top/tools/tlctl/json.c" \
		"$top/tools/tlctl/util.c" &&
		"$out/json-roundtrip" 1 20000 |
		python3 "$top/tools/testing/json/roundtrip.py" &&
		"$out/json-roundtrip" 2 2000 -p |
		python3 "$top/tools/testing/json/roundtrip.py"
}

# vm_tests NAME KERNEL MODULE [KUNIT_MODULE]: the integration tests in a
# VM, a TAP line each; with KUNIT_MODULE, its suites first, in the same
# boot (their results: kunit_results)
vm_tests() {
	local name=$1 kernel=$2 ko=$3 log=$out/vm-$1.log kunit=()
	local what="boots, runs the tests" tests=()

	# Under the sanitizers (KASAN, kmemleak, KCSAN), the slowest VMs,
	# the tests of tlctl's grammar and output are left out: stock-tests.sh
	case $name in
	debug|debug-6.1|kcsan)
		tests=(-e TASKLOCAL_TESTS=kernel)
		what="boots, runs the kernel-side tests" ;;
	esac

	if [ -n "${4:-}" ]; then
		kunit=(-a "$4:/lib/tasklocal_kunit.ko"
		       -a "$top/tools/testing/kunit-vm.sh:/test/kunit-vm.sh")
		what="boots, runs the KUnit suites and the ${what#boots, runs the }"
	fi
	if "$top/tools/testing/vm-run.sh" -k "$kernel" -t 1500 \
		-l "$out/console-$name.log" "${tests[@]}" \
		-a "$ko:/lib/tasklocal.ko" "${kunit[@]}" \
		-a "$top/tools/tlctl/tlctl:/bin/tlctl" \
		-a "$top/tools/testing/lib.sh:/test/lib.sh" \
		-a "$top/tools/testing/tests" \
		-a "$top/build/testing/abi-test:/bin/abi-test" \
		-a "$top/build/testing/hostile:/bin/hostile" \
		-a "$top/build/testing/runas:/bin/runas" \
		-a "$top/build/testing/fuzz:/bin/fuzz" \
		-a "$top/build/testing/stress:/bin/stress" \
		-a "$top/build/testing/limits:/bin/limits" \
		-a "$top/tools/testing/stock-tests.sh:/test/stock-tests.sh" \
		"$top/tools/testing/vm-suite.sh" >"$log" 2>&1; then
		pass "$name VM: $what, no kernel report"
	else
		fail "$name VM: $what, no kernel report" "$log"
	fi
	count_tap "$name" "$log"
}

# the module as a user builds it for Debian's stock kernel, then its VM
stock_tests() {
	say "== stock kernel VM ($stock_kver)"
	if want build; then
		stage "$top/build/stock"
		step "module builds against $stock_kver (W=1, -Werror)" \
			kbuild "$stock_kdir" "$top/build/stock" || return
	fi
	vm_tests stock "$stock_image" "$top/build/stock/module/tasklocal.ko"
}

# kunit_results NAME SRC: the KUnit suites' results in the console log of
# VM NAME (vm_tests with a KUnit module), parsed with SRC's kunit.py; a
# result line per test case, prefixed with NAME
kunit_results() {
	local name=$1 src=$2
	local ktap=$out/kunit-$1.ktap parsed=$out/kunit-parse-$1.log
	local results=$out/kunit-results-$1.txt verdict test ran

	tr -d '\r' <"$out/console-$name.log" |
		sed -n '/^KTAP-BEGIN/,/^KTAP-END/p' | sed '1d;$d' >"$ktap"
	python3 "$src/tools/testing/kunit/kunit.py" parse "$ktap" \
		>"$parsed" 2>&1
	# one line per test case; suite lines are framed by '=' and skipped
	sed 's/^\[[0-9:]*\] //' "$parsed" |
		grep -E '^\[(PASSED|FAILED|CRASHED|SKIPPED)\] ' >"$results"
	if [ ! -s "$results" ]; then
		fail "$name KUnit: results parsed" "$parsed"
	fi
	while read -r verdict test; do
		case "$verdict" in
		"[PASSED]") pass "$name kunit: $test" ;;
		# neither passed nor failed: said, not counted
		"[SKIPPED]") say "SKIP  $name kunit: $test" ;;
		*) fail "$name kunit: $test $verdict" "$parsed" ;;
		esac
	done <"$results"
	ran=$(sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p' "$parsed")
	if [ "${ran:-0}" != "$(wc -l <"$results")" ]; then
		fail "$name KUnit: kunit.py ran ${ran:-0} tests, counted $(wc -l <"$results")" \
			"$parsed"
	fi
}

# kernel_tests NAME [nokunit]: build test kernel NAME (tools/testing/
# kernels/), the module and its KUnit suites against it, then run the
# KUnit suites and the integration tests under it, in one boot. With
# nokunit, the module alone and the integration tests: the suites use
# KUnit's API of 6.5 and later (kunit_add_action()).
kernel_tests() {
	local name=$1 kunit=${2:-kunit} kdir src dir what="module and KUnit suites"

	say "== $name kernel (tools/testing/kernels/$name.config)"
	kdir=$("$top/tools/testing/kernel.sh" "$name") || {
		fail "$name kernel builds"
		return
	}
	src=$("$top/tools/testing/kernel.sh" --source "$name")
	stage "$top/build/$name"
	dir=$top/build/$name
	if [ "$kunit" != kunit ]; then
		dir=$dir/module
		what=module
	fi
	step "$name: $what build (W=1, -Werror)" \
		make -C "$src" O="$kdir" M="$dir" W=1 KCFLAGS=-Werror \
			modules || return
	if [ "$kunit" = kunit ]; then
		vm_tests "$name" "$kdir/arch/x86/boot/bzImage" \
			"$top/build/$name/module/tasklocal.ko" \
			"$top/build/$name/kunit/tasklocal_kunit.ko"
		kunit_results "$name" "$src"
	else
		vm_tests "$name" "$kdir/arch/x86/boot/bzImage" \
			"$top/build/$name/module/tasklocal.ko"
	fi
}

# Debian's 6.1 PREEMPT_RT kernel, as a user of it has it
stock_rt_tests() {
	local rt_kver

	rt_kver=$(ls -1d /lib/modules/*-rt-amd64 2>/dev/null | sort -rV |
		  head -n 1 | xargs -r basename)
	say "== Debian's stock PREEMPT_RT kernel (${rt_kver:-none})"
	if [ -n "$rt_kver" ] && [ -e "/lib/modules/$rt_kver/build/Makefile" ]; then
		stage "$top/build/stock-rt"
		if step "module builds against $rt_kver (W=1, -Werror)" \
			kbuild "/lib/modules/$rt_kver/build" "$top/build/stock-rt"; then
			vm_tests stock-rt "/boot/vmlinuz-$rt_kver" \
				"$top/build/stock-rt/module/tasklocal.ko"
		fi
	else
		fail "stock-rt: linux-image-rt-amd64 and its headers are installed (make deps)"
	fi
}

# Two lanes of VM stages run side by side (LANES=1: one after the other):
# a VM keeps one of the two cores busy for much of its run, so two of
# them finish sooner than one after the other. A lane's output is kept
# in build/check/lane-N.log and shown, and counted, when it ends.
lane_pids=()

lane() {
	local n=$1
	shift
	if [ "${LANES:-2}" -lt 2 ] || [ "${KEEP_GOING:-1}" = 0 ]; then
		"$@"
		return
	fi
	say "== lane $n: ${*:2} (in the background; log: $out/lane-$n.log)"
	(
		passed=0 failed=0 failures=()
		"$@"
	) >"$out/lane-$n.log" 2>&1 &
	lane_pids[$n]=$!
}

# run_stages STAGE...: the named stages that are wanted, in order
run_stages() {
	local st
	for st in "$@"; do
		case $st in
		stock) want stock && stock_tests ;;
		stock-rt) want stock-rt && stock_rt_tests ;;
		debug) { want debug || want kunit; } && kernel_tests debug ;;
		debug-6.1) want debug-6.1 && kernel_tests debug-6.1 nokunit ;;
		*) want "$st" && kernel_tests "$st" ;;
		esac
	done
	return 0
}

# lanes_join: wait for each lane, show its output, count its verdicts
lanes_join() {
	local n line
	for n in "${!lane_pids[@]}"; do
		wait "${lane_pids[$n]}"
		say "== lane $n ended"
		while IFS= read -r line; do
			say "$line"
			case "$line" in
			"PASS  "*) passed=$((passed + 1)) ;;
			"FAIL  "*) failed=$((failed + 1))
				   failures+=("${line#FAIL  }") ;;
			esac
		done <"$out/lane-$n.log"
	done
	lane_pids=()
}

# in_lanes: the VM stages run in two lanes side by side
in_lanes() {
	[ "${LANES:-2}" -ge 2 ] && [ "${KEEP_GOING:-1}" != 0 ]
}

# The VMs need the tools first; in two lanes both then start at once,
# and sparse, the native table tests and checkpatch run beside them. The
# lanes are about equal halves, warm or cold: the slowest VMs (the two
# debug kernels, KASAN and kmemleak) one in each, the kernels' builds
# 6.1 debug and 6.12 rt in one, 6.12 debug and kcsan in the other.
if want build; then
	say "== build"
	step "tools build (-Wall -Wextra -Werror)" make -C "$top" tools WERROR=1
fi
lane1=(run_stages debug-6.1 rt stock)
lane2=(run_stages debug kcsan stock-rt)
if in_lanes; then
	lane 1 "${lane1[@]}"
	lane 2 "${lane2[@]}"
fi

if want build; then
	if ! want stock; then
		stage "$top/build/stock"
		step "module builds against $stock_kver (W=1, -Werror)" \
			kbuild "$stock_kdir" "$top/build/stock"
	fi
	step "sparse (C=2): __rcu, locking annotations, address spaces" \
		sparse_clean "$stock_kdir"
fi

if want native; then
	say "== native table tests"
	step "map: scenarios and random sequences equal OpenJDK ThreadLocalMap" \
		"$top/tools/testing/map/difftest.sh"
	step "map: a lock-free lookup never misses an entry another thread's removal moves" \
		map_race
	step "tlctl -j: any bytes make strict UTF-8 JSON that gives them back" \
		json_roundtrip
	step "tlctl's bash completion: objects, commands, options, keys, pids" \
		"$top/tools/testing/completion.sh"
	step "make install, a program built with its .pc, make clean: as a user (fresh clone)" \
		"$top/tools/testing/install-test.sh" "$stock_kdir"
fi

if want style; then
	say "== style"
	step "checkpatch --strict (all C), kernel-doc -Wall (kernel side)" \
		"$top/tools/testing/checkpatch.sh"
	step "make docs: Sphinx and kernel-doc build docs/ without a warning" \
		make -C "$top" -s docs
fi

# The Debian packages: built, linted, the module built by DKMS for the
# stock kernel and used with the packaged tools in its VM; after the
# lanes (the test kernels are built then), DKMS for a 6.12 tree too.
pkg_out=$top/build/packages
if want packages; then
	say "== Debian packages"
	mkdir -p "$pkg_out"
	"$top/tools/testing/deb-test.sh" build "$pkg_out" "$stock_kdir" \
		>"$out/packages.log" 2>&1
	count_tap packages "$out/packages.log"
fi

if ! in_lanes; then
	"${lane1[@]}"
	"${lane2[@]}"
fi
lanes_join

if want packages; then
	if kd=$("$top/tools/testing/kernel.sh" debug); then
		"$top/tools/testing/deb-test.sh" dkms "$pkg_out" "$kd" \
			>"$out/packages-dkms.log" 2>&1
		count_tap packages "$out/packages-dkms.log"
	else
		fail "packages: the 6.12 debug tree for DKMS builds"
	fi
fi

finish
