# SPDX-License-Identifier: GPL-2.0-only
# Attacks on the device from hostile: forged pidfds, reused ids, stale
# entries, refused calls, limits, execve, races between a key's deletion
# and its users, read-only user memory, bad names. Each of its cases is
# one TAP line here. The forged pidfds come last, as root and as uid
# 1000: a kernel that trusts a file's name may crash on them. Keys start
# with "t55.".

# t55_run LABEL CMD...: run CMD, re-emitting each of its cases as it comes
# (streamed through a FIFO so that a crash still shows the cases before)
t55_run() {
	t55_label=$1
	shift
	t55_fifo=/tmp/t55.fifo
	rm -f $t55_fifo /tmp/t55.plan
	mkfifo $t55_fifo
	"$@" >$t55_fifo 2>&1 &
	t55_pid=$!
	while IFS= read -r t55_line; do
		case "$t55_line" in
		"not ok "*) tap_not_ok "$t55_label: ${t55_line#not ok * - }" ;;
		"ok "*) tap_ok "$t55_label: ${t55_line#ok * - }" ;;
		"1.."*) echo "$t55_line" >/tmp/t55.plan; echo "# $t55_line" ;;
		"Bail out!"*) tap_not_ok "$t55_label: $t55_line" ;;
		*) echo "# $t55_line" ;;
		esac
	done <$t55_fifo
	wait $t55_pid
	t55_status=$?
	rm -f $t55_fifo
	if [ -s /tmp/t55.plan ]; then
		tap_ok "$t55_label: ran to its end (status $t55_status)"
	else
		tap_not_ok "$t55_label: ran to its end (status $t55_status, no plan line)"
	fi
}

if command -v hostile >/dev/null 2>&1; then
	t55_run hostile hostile
	t55_run "hostile pidfd" hostile pidfd
	# a kernel without tmpfs leaves /tmp as the initramfs made it
	chmod 1777 /tmp
	t55_run "hostile pidfd uid 1000" runas 1000 hostile pidfd
else
	tap_not_ok "hostile is in the VM (build/testing/hostile, see tools/testing/Makefile)"
fi
check "every t55 key is gone again" \
	sh -c '! tlctl key list | grep -q " t55\."'
