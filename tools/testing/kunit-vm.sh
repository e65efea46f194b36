# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside a test kernel's VM (from vm-suite.sh): load tasklocal and
# its KUnit suites, unload both (KUnit results stay in debugfs until
# then), and print the suites' KTAP as one document between KTAP-BEGIN
# and KTAP-END.

# Arm failslab for the tasks that ask for it (current->make_it_fail): the
# allocation-failure tests set that flag around the calls they test.
fs=/sys/kernel/debug/failslab
if [ -d $fs ]; then
	echo Y >$fs/task-filter
	echo N >$fs/ignore-gfp-wait
	echo 100 >$fs/probability
	echo 1 >$fs/interval
	echo -1 >$fs/times
	echo 0 >$fs/verbose
fi

insmod /lib/tasklocal.ko || exit 1
insmod /lib/tasklocal_kunit.ko || exit 1
suites=$(ls -d /sys/kernel/debug/kunit/tasklocal_* 2>/dev/null)
[ -n "$suites" ] || { echo "no tasklocal KUnit suite ran"; exit 1; }
{
	echo "KTAP version 1"
	echo "1..$(echo "$suites" | wc -l)"
	i=0
	for s in $suites; do
		i=$((i + 1))
		# each results file is a KTAP document of one suite: keep its
		# indented body, renumber its top-level result line
		sed -n 's/^\(    .*\)$/\1/p; s/^\(not \)\{0,1\}ok 1 /\1ok '$i' /p' \
			"$s/results"
	done
} >/tmp/ktap
rmmod tasklocal_kunit || exit 1
rmmod tasklocal || exit 1
# failslab as it was, for what runs after
[ -d $fs ] && echo 0 >$fs/probability
echo "KTAP-BEGIN"
cat /tmp/ktap
echo "KTAP-END"
