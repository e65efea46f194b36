# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside a VM: load the module as a user would, run every
# tests/*.sh through the real device and tool, then unload it while
# tasks still hold tables (their values must all be freed: the kernel's
# leak and use-after-free detectors watch, where it has them).

. /test/lib.sh

check "insmod tasklocal.ko" insmod /lib/tasklocal.ko
check "/dev/tasklocal is a character device" test -c /dev/tasklocal
check_output "the sweeper is on by default (sweep_delay_ms 1000)" '^1000$' \
	cat /sys/module/tasklocal/parameters/sweep_delay_ms
# The tests see stale entries as OpenJDK leaves them; 35-sweep.sh and the
# stress turn the sweeper on.
echo 0 >/sys/module/tasklocal/parameters/sweep_delay_ms
# TASKLOCAL_TESTS=kernel (check.sh gives it on the sanitizer kernels'
# command line, which hands it to init): the files marked "# tests: tool"
# are left out. They test tlctl's grammar and output, which no sanitizer
# changes; the kernel paths they go through, the stress, the fuzzer,
# hostile and the limits tests drive harder on every kernel.
for t in /test/tests/*.sh; do
	if [ "${TASKLOCAL_TESTS:-all}" = kernel ] &&
	   grep -q '^# tests: tool' "$t"; then
		echo "# ${t##*/}: left out here (the tool's interface)"
		continue
	fi
	t_start=$(date +%s)
	. "$t"
	echo "# ${t##*/}: $(( $(date +%s) - t_start )) s"
done

# Tasks holding tables, inherited by their children, across the unload.
tlctl key create unload_a --inheritable >/dev/null 2>&1
tlctl key create unload_b >/dev/null 2>&1
for i in 1 2 3; do
	tlctl run --set unload_a=held$i --set unload_b=also$i -- \
		sh -c 'sleep 600 & sleep 600' &
done
sleep 1
check_output "holders have tables before unload" '^ *[0-9]+ ' tlctl table list
check "rmmod tasklocal with tasks holding tables" rmmod tasklocal
check_fails "the device is gone after rmmod" 1 tlctl version
check_output "tlctl --version without the module: the tool's, module not loaded" \
	'^module: not loaded' tlctl --version
check_fails "without the module a usage error is still one (exit 2)" 2 \
	tlctl key create
check_fails "... table show's too" 2 tlctl table show bogus
check_fails "... leaks's: trouble (exit 2)" 2 tlctl leaks
kill $(jobs -p) 2>/dev/null
pkill sleep 2>/dev/null
wait
check "holders exit after the unload" true
check "insmod again after unload" insmod /lib/tasklocal.ko
check "rmmod again" rmmod tasklocal
