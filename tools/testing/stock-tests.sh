# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the stock-kernel VM: load the module as a user would, run
# every tests/*.sh through the real device and tool, unload.

. /test/lib.sh

check "insmod tasklocal.ko" insmod /lib/tasklocal.ko
check "/dev/tasklocal is a character device" test -c /dev/tasklocal
for t in /test/tests/*.sh; do
	. "$t"
done
check "rmmod tasklocal" rmmod tasklocal
check_fails "the device is gone after rmmod" 1 tlctl version
