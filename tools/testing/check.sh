#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh: the whole test suite, as run by 'make check' and CI.
#
# Builds the module against Debian's stock kernel headers and against a
# KUnit debug kernel (built once and cached), runs the native table tests
# (including the differential test against OpenJDK's ThreadLocalMap),
# boots both kernels in QEMU to run the integration tests and the KUnit
# suites, and runs checkpatch. Ends with one line "N passed, N failed".
#
# Environment: KEEP_GOING=0 stops at the first failure; ONLY=a,b runs
# only the named stages (build,native,stock,kunit,debug,style).

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

# count_tap NAME LOG: every "ok N name" / "not ok N name" line counts
count_tap() {
	local prefix=$1 log=$2 line
	while IFS= read -r line; do
		case "$line" in
		"not ok "*) fail "$prefix: ${line#not ok }" ;;
		"ok "*) pass "$prefix: ${line#ok }" ;;
		esac
	done < <(tr -d '\r' <"$log" | grep -E '^(not )?ok [0-9]+ ')
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
	cp -r "$top/Kbuild" "$top/module" "$top/kunit" "$top/include" "$dir/"
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
		"$out/map-race" 200000
}

if want build; then
	say "== build"
	stage "$top/build/stock"
	step "module builds against $stock_kver (W=1, -Werror)" \
		kbuild "$stock_kdir" "$top/build/stock"
	step "sparse (C=2): __rcu, locking annotations, address spaces" \
		sparse_clean "$stock_kdir"
	step "tools build (-Wall -Wextra -Werror)" make -C "$top" tools
fi

if want native; then
	say "== native table tests"
	step "map: scenarios and random sequences equal OpenJDK ThreadLocalMap" \
		"$top/tools/testing/map/difftest.sh"
	step "map: a lock-free lookup never misses an entry another thread's removal moves" \
		map_race
fi

# vm_tests NAME KERNEL MODULE: the integration tests in a VM, a TAP line each
vm_tests() {
	local name=$1 kernel=$2 ko=$3 log=$out/vm-$1.log
	if "$top/tools/testing/vm-run.sh" -k "$kernel" -t 900 \
		-l "$out/console-$name.log" \
		-a "$ko:/lib/tasklocal.ko" \
		-a "$top/tools/tlctl/tlctl:/bin/tlctl" \
		-a "$top/tools/testing/lib.sh:/test/lib.sh" \
		-a "$top/tools/testing/tests" \
		-a "$top/build/testing/abi-test:/bin/abi-test" \
		-a "$top/build/testing/hostile:/bin/hostile" \
		-a "$top/build/testing/runas:/bin/runas" \
		"$top/tools/testing/stock-tests.sh" >"$log" 2>&1; then
		pass "$name VM: boots, runs the tests, no kernel report"
	else
		fail "$name VM: boots, runs the tests, no kernel report" "$log"
	fi
	count_tap "$name" "$log"
}

if want stock; then
	say "== stock kernel VM ($stock_kver)"
	vm_tests stock "$stock_image" "$top/build/stock/module/tasklocal.ko"
fi

if want kunit; then
	say "== KUnit kernel VM"
	kdir=$("$top/tools/testing/kunit-kernel.sh") || {
		fail "KUnit kernel builds"
		finish
	}
	src=$(ls -d "${TASKLOCAL_CACHE:-/var/cache/tasklocal}"/linux-source-6.12-*/ | head -1)
	stage "$top/build/kunit"
	step "module and KUnit suites build against the KUnit kernel (W=1)" \
		make -C "$src" O="$kdir" M="$top/build/kunit" W=1 \
			KCFLAGS=-Werror modules
	log=$out/vm-kunit.log
	if "$top/tools/testing/vm-run.sh" -q -k "$kdir/arch/x86/boot/bzImage" \
		-l "$out/console-kunit.log" -t 600 \
		-a "$top/build/kunit/module/tasklocal.ko:/lib/tasklocal.ko" \
		-a "$top/build/kunit/kunit/tasklocal_kunit.ko:/lib/tasklocal_kunit.ko" \
		"$top/tools/testing/kunit-vm.sh" >"$log" 2>&1; then
		pass "KUnit VM: no KASAN, lockdep, RCU or kmemleak report"
	else
		fail "KUnit VM: no KASAN, lockdep, RCU or kmemleak report" "$log"
	fi
	ktap=$out/kunit.ktap
	tr -d '\r' <"$out/console-kunit.log" |
		sed -n '/^KTAP-BEGIN/,/^KTAP-END/p' | sed '1d;$d' >"$ktap"
	python3 "$src/tools/testing/kunit/kunit.py" parse "$ktap" \
		>"$out/kunit-parse.log" 2>&1
	# one line per test case; suite lines are framed by '=' and skipped
	sed 's/^\[[0-9:]*\] //' "$out/kunit-parse.log" |
		grep -E '^\[(PASSED|FAILED|CRASHED|SKIPPED)\] ' \
		>"$out/kunit-results.txt"
	if [ ! -s "$out/kunit-results.txt" ]; then
		fail "KUnit: results parsed" "$out/kunit-parse.log"
	fi
	while read -r verdict name; do
		case "$verdict" in
		"[PASSED]") pass "kunit: $name" ;;
		*) fail "kunit: $name $verdict" "$out/kunit-parse.log" ;;
		esac
	done <"$out/kunit-results.txt"
	ran=$(sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p' "$out/kunit-parse.log")
	if [ "${ran:-0}" != "$(wc -l <"$out/kunit-results.txt")" ]; then
		fail "KUnit: kunit.py ran ${ran:-0} tests, counted $(wc -l <"$out/kunit-results.txt")" \
			"$out/kunit-parse.log"
	fi
fi

if want debug; then
	say "== integration tests under the KUnit debug kernel"
	kdir=$("$top/tools/testing/kunit-kernel.sh" --print-dir)
	if [ -e "$top/build/kunit/module/tasklocal.ko" ]; then
		vm_tests debug "$kdir/arch/x86/boot/bzImage" \
			"$top/build/kunit/module/tasklocal.ko"
	else
		fail "debug VM: needs the kunit stage's build"
	fi
fi

if want style; then
	say "== style"
	step "checkpatch --strict: module, include, kunit, tools" \
		"$top/tools/testing/checkpatch.sh"
fi

finish
