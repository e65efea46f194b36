# SPDX-License-Identifier: GPL-2.0-only
# Races: stress runs value, key-churn, fork and inspector threads together
# for a while (STRESS_SECONDS, 30 by default) and checks each invariant the
# ABI promises under them; each is one TAP line here. Under the debug
# kernel (kmemleak present: KASAN, lockdep too) 30 s is still the floor;
# STRESS_DEBUG_THREADS lowers the threads there if its VM ever runs out of
# time (64 threads: the debug VM took about 260 s of its 900). Keys start
# with "t80.".

# t80_run LABEL CMD...: run CMD, re-emitting each of its TAP lines as it
# comes (streamed through a FIFO, so a crash still shows what came before)
t80_run() {
	t80_label=$1
	shift
	t80_fifo=/tmp/t80.fifo
	rm -f $t80_fifo /tmp/t80.plan
	mkfifo $t80_fifo
	"$@" >$t80_fifo 2>&1 &
	t80_pid=$!
	while IFS= read -r t80_line; do
		case "$t80_line" in
		"not ok "*) tap_not_ok "$t80_label: ${t80_line#not ok * - }" ;;
		"ok "*) tap_ok "$t80_label: ${t80_line#ok * - }" ;;
		"1.."*) echo "$t80_line" >/tmp/t80.plan; echo "# $t80_line" ;;
		"Bail out!"*) tap_not_ok "$t80_label: $t80_line" ;;
		*) echo "# $t80_line" ;;
		esac
	done <$t80_fifo
	wait $t80_pid
	t80_status=$?
	rm -f $t80_fifo
	if [ -s /tmp/t80.plan ] && [ $t80_status = 0 ]; then
		tap_ok "$t80_label: ran to its end (status $t80_status)"
	elif [ -s /tmp/t80.plan ]; then
		tap_not_ok "$t80_label: ran to its end with violations (status $t80_status)"
	else
		tap_not_ok "$t80_label: ran to its end (status $t80_status, no plan line)"
	fi
}

t80_secs=${STRESS_SECONDS:-30}
t80_threads=${STRESS_THREADS:-64}
if [ -z "${STRESS_THREADS:-}" ] && [ -e /sys/kernel/debug/kmemleak ]; then
	t80_threads=${STRESS_DEBUG_THREADS:-64}
fi
if command -v stress >/dev/null 2>&1; then
	t80_start=$(date +%s)
	t80_run stress stress -s 1 -d "$t80_secs" -t "$t80_threads"
	echo "# stress: $t80_threads threads, ${t80_secs} s asked," \
		"$(( $(date +%s) - t80_start )) s taken"
else
	tap_not_ok "stress is in the VM (build/testing/stress, see tools/testing/Makefile)"
fi
check "every t80 key is gone again" \
	sh -c '! tlctl key list | grep -q " t80\."'
