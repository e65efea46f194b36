# SPDX-License-Identifier: GPL-2.0-only
# Races: stress runs value, key-churn, fork and inspector threads together
# for a while (STRESS_SECONDS, 30 by default) and checks each invariant the
# ABI promises under them; each is one TAP line here. Under the debug
# kernel (kmemleak present: KASAN, lockdep too) 30 s is still the floor;
# STRESS_DEBUG_THREADS lowers the threads there if its VM ever runs out of
# time (64 threads: the debug VM took about 260 s of its 900). The
# sweeper runs meanwhile, 10 ms after each key's death, beside the owners'
# gets and sets, exits, forks and dumps. Keys start with "t80.".

t80_secs=${STRESS_SECONDS:-30}
t80_threads=${STRESS_THREADS:-64}
if [ -z "${STRESS_THREADS:-}" ] && [ -e /sys/kernel/debug/kmemleak ]; then
	t80_threads=${STRESS_DEBUG_THREADS:-64}
fi
t80_sweep=/sys/module/tasklocal/parameters/sweep_delay_ms
t80_old_sweep=$(cat $t80_sweep)
echo 10 >$t80_sweep
if command -v stress >/dev/null 2>&1; then
	t80_start=$(date +%s)
	tap_program -s stress stress -s 1 -d "$t80_secs" -t "$t80_threads"
	echo "# stress: $t80_threads threads, ${t80_secs} s asked," \
		"$(( $(date +%s) - t80_start )) s taken"
else
	tap_not_ok "stress is in the VM (build/testing/stress, see tools/testing/Makefile)"
fi
echo "$t80_old_sweep" >$t80_sweep
check_output "the sweeper swept during the stress" '^swept +[1-9]' tlctl stats
check "every t80 key is gone again" \
	sh -c '! tlctl key list | grep -q " t80\."'
