# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the benchmark VM (busybox sh), started by run.sh through
# vm-run.sh: the in-kernel microbenchmarks (tasklocal_bench.ko), the
# ioctl round trip, memory per entry and the task hooks' overhead, as
# /test/bench.conf selects. Prints "BENCH ..." lines for run.sh to parse
# and "PROGRESS ..." lines for it to show while the VM runs.

# shellcheck source=/dev/null
. /test/bench.conf	# SECTIONS ROUNDS FORKS THREADS IOCTLS MEM_* SWEEP_TASKS SCALE_KEYS

progress() { echo "PROGRESS $*"; }

die() {
	echo "vm-bench: $*" >&2
	exit 1
}

# ub PREFIX ARGS...: run ubench, its lines prefixed for run.sh
ub() {
	prefix=$1
	shift
	ubench "$@" >/tmp/ub.out || die "ubench $* failed"
	sed "s/^/BENCH $prefix /" /tmp/ub.out
}

loaded() { grep -q "^$1 " /proc/modules; }

want() {
	case " $SECTIONS " in *" $1 "*) return 0 ;; esac
	return 1
}

bench_kernel() {
	progress "in-kernel microbenchmarks (tasklocal_bench.ko)"
	dmesg -c >/dev/null
	insmod /lib/tasklocal_bench.ko || { dmesg | tail -20; die "insmod tasklocal_bench.ko failed"; }
	dmesg | sed -n 's/.*tasklocal_bench: /BENCH kernel /p'
	rmmod tasklocal_bench || die "rmmod tasklocal_bench failed"
}

bench_ioctl() {
	progress "ioctl round trip"
	ub "ioctl 1" ioctl "$IOCTLS"
	ub "ioctl 2" ioctl "$IOCTLS"
}

# snap PHASE: slab usage, exact (per-CPU counters folded first)
snap() {
	# kfree_rcu() batches for up to 5 s: let it free what was dropped
	sleep "$MEM_SETTLE"
	echo 1 >/proc/sys/vm/stat_refresh
	awk -v p="$1" '/^(Slab|SUnreclaim|VmallocUsed|MemFree):/ {
		sub(":", "", $1); print "BENCH mem", p, "meminfo", $1, $2 }' \
		/proc/meminfo
	awk -v p="$1" '/^kmalloc-/ {
		print "BENCH mem", p, "slab", $1, $2, $3, $4 }' /proc/slabinfo
}

holder_pid() {
	for d in /proc/[0-9]*; do
		if [ "$(cat "$d/comm" 2>/dev/null)" = "tlbench/$MEM_ENTRIES" ]; then
			echo "${d#/proc/}"
			return
		fi
	done
}

# mem_phase NAME SET REP: load the bench module in memory mode, around it
mem_phase() {
	snap "$1 $3 before"
	insmod /lib/tasklocal_bench.ko mem_entries="$MEM_ENTRIES" mem_set="$2" ||
		die "insmod tasklocal_bench.ko mem_entries=$MEM_ENTRIES failed"
	snap "$1 $3 after"
	if [ "$2" = 1 ]; then
		pid=$(holder_pid)
		[ -n "$pid" ] || die "no tlbench/$MEM_ENTRIES thread"
		ub "mem $1 $3" dump "$pid"
	fi
	rmmod tasklocal_bench || die "rmmod tasklocal_bench failed"
}

bench_mem() {
	progress "memory: $MEM_ENTRIES keys, then $MEM_ENTRIES entries"
	for rep in $(seq 1 "$MEM_REPS"); do
		mem_phase keys 0 "$rep"
		mem_phase entries 1 "$rep"
	done
}

# The sweeper: N idle kernel threads hold a value of a key that dies;
# sweep_delay_ms 1, so that the figure is the sweep's own time
bench_sweep() {
	echo 1 >/sys/module/tasklocal/parameters/sweep_delay_ms
	for n in $SWEEP_TASKS; do
		progress "sweeper: $n idle threads"
		dmesg -c >/dev/null
		insmod /lib/tasklocal_bench.ko sweep_tasks="$n" ||
			{ dmesg | tail -20; die "insmod tasklocal_bench.ko sweep_tasks=$n failed"; }
		dmesg | sed -n 's/.*tasklocal_bench: \(result sweep.*\)/BENCH kernel \1/p'
		rmmod tasklocal_bench || die "rmmod tasklocal_bench failed"
	done
	echo 1000 >/sys/module/tasklocal/parameters/sweep_delay_ms
}

# The key registry at its default limit, max_keys (SCALE_KEYS) named
# keys: made, listed, found and deleted by ubench; then as many made by
# tlctl batch, and the tool's key list, key show NAME and key delete NAME
# among them. The module's unload (the caller's rmmod) kills them all.
bench_scale() {
	p=/sys/module/tasklocal/parameters
	echo "$SCALE_KEYS" >$p/max_keys
	echo "$SCALE_KEYS" >$p/max_user_keys
	progress "scale: $SCALE_KEYS keys by ioctl (ubench keys)"
	ub scale keys "$SCALE_KEYS"
	progress "scale: $SCALE_KEYS keys by tlctl batch, then tlctl among them"
	awk -v n="$SCALE_KEYS" 'BEGIN {
		for (i = 0; i < n; i++) printf "key create s.%d\n", i }' \
		>/tmp/keys.batch
	ub scale run tlctl_batch_create tlctl batch /tmp/keys.batch
	ub scale run tlctl_key_list tlctl key list
	ub scale run tlctl_key_show tlctl key show "s.$((SCALE_KEYS / 2))"
	ub scale run tlctl_key_delete tlctl key delete "s.$((SCALE_KEYS / 2))"
}

# Fork and thread cycles, tasklocal loaded and not, in alternating order;
# a few untimed cycles first, after each load and unload.
bench_hooks() {
	! loaded tasklocal || rmmod tasklocal || die "rmmod tasklocal failed"
	for r in $(seq 1 "$ROUNDS"); do
		progress "hooks: round $r of $ROUNDS"
		if [ $((r % 2)) = 1 ]; then order="off on"; else order="on off"; fi
		for state in $order; do
			if [ "$state" = on ]; then
				insmod /lib/tasklocal.ko || die "insmod tasklocal.ko failed"
			fi
			if ! ubench fork 20 >/dev/null ||
			   ! ubench thread 20 >/dev/null; then
				die "ubench warm-up failed"
			fi
			ub "hooks $state $r" fork "$FORKS"
			ub "hooks $state $r" thread "$THREADS"
			if [ "$state" = on ]; then
				rmmod tasklocal || die "rmmod tasklocal failed"
			fi
		done
	done
}

progress "booted: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU"
echo "BENCH kernel_version $(uname -r)"
echo "BENCH clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
if want kernel || want ioctl || want mem || want sweep || want scale; then
	insmod /lib/tasklocal.ko || die "insmod tasklocal.ko failed"
	want kernel && bench_kernel
	want sweep && bench_sweep
	want ioctl && bench_ioctl
	want mem && bench_mem
	want scale && bench_scale
	rmmod tasklocal || die "rmmod tasklocal failed"
fi
want hooks && bench_hooks
progress "done"
exit 0
