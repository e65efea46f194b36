# SPDX-License-Identifier: GPL-2.0-only
#
# The scripted session 'make demo' runs inside the VM.

dmesg -n 1	# keep kernel messages off the console during the session
run() {
	echo
	echo "\$ $*"
	"$@" 2>&1
}

run insmod /lib/tasklocal.ko
run tlctl version
run tlctl -p version
run rmmod tasklocal
