# SPDX-License-Identifier: GPL-2.0-only
# Every limit of the module exactly at its boundary, as root and as uid
# 1000: each parameter is set to a small N; N calls succeed and the
# N+1-th fails with the errno the ABI documents (max_value_size: E2BIG,
# max_entries: ENOSPC, max_user_keys: EDQUOT, max_keys: ENOSPC). Through
# tlctl where it can say it, through limits (raw ioctls) where not. Then
# memory cgroups: values are charged to the cgroup of the task that sets
# them, and a full cgroup makes SET fail with ENOMEM, with no OOM kill.
# The parameters are restored at the end. Keys start with "t65.".

t65_p=/sys/module/tasklocal/parameters
t65_old_vs=$(cat $t65_p/max_value_size)
t65_old_me=$(cat $t65_p/max_entries)
t65_old_uk=$(cat $t65_p/max_user_keys)
t65_old_mk=$(cat $t65_p/max_keys)

# t65_as UID CMD...: CMD as UID (as itself for 0)
t65_as() {
	t65_uid=$1
	shift
	if [ "$t65_uid" = 0 ]; then
		"$@"
	else
		runas "$t65_uid" "$@"
	fi
}

# t65_fails DESCRIPTION PATTERN CMD...: CMD fails (status 1) saying PATTERN
t65_fails() {
	t65_desc=$1
	t65_pat=$2
	shift 2
	check_fails_output "$t65_desc" 1 "$t65_pat" "$@"
}

# t65_script LINE...: the batch script /tmp/t65.batch, readable by all
t65_script() {
	printf '%s\n' "$@" >/tmp/t65.batch
	chmod 644 /tmp/t65.batch
}

# t65_bytes N: N bytes of 'x'
t65_bytes() {
	head -c "$1" /dev/zero | tr '\0' x
}

# t65_param_refused NAME VALUE: writing VALUE to parameter NAME fails
t65_param_refused() {
	! (echo "$2" >"$t65_p/$1") 2>/dev/null
}

# t65_key_absent NAME: no live key is called NAME
t65_key_absent() {
	! tlctl key list | awk -v n="$1" '$2 == n && $NF !~ /dead/' |
		grep -q .
}

t65_have_limits=1
if ! command -v limits >/dev/null 2>&1; then
	t65_have_limits=0
	tap_not_ok "limits is in the VM (build/testing/limits, see tools/testing/Makefile)"
fi
# limits runs as uid 1000 too; a kernel without tmpfs leaves /tmp as the
# initramfs made it
chmod 1777 /tmp

# --- max_value_size: E2BIG past N bytes, for SET and initial values ---
echo 100 >$t65_p/max_value_size
t65_v100=$(t65_bytes 100)
t65_v101=$(t65_bytes 101)
tlctl key create t65.v >/dev/null
for t65_u in 0 1000; do
	t65_w="uid $t65_u"
	if [ $t65_have_limits = 1 ]; then
		check "max_value_size 100: SET of 100 bytes succeeds ($t65_w)" \
			t65_as $t65_u limits set 100 0
		check "max_value_size 100: SET of 101 bytes fails E2BIG ($t65_w)" \
			t65_as $t65_u limits set 101 E2BIG
		check "max_value_size 100: KEY_CREATE with a 100-byte initial value succeeds ($t65_w)" \
			t65_as $t65_u limits create 100 0
		check "max_value_size 100: KEY_CREATE with a 101-byte initial value fails E2BIG ($t65_w)" \
			t65_as $t65_u limits create 101 E2BIG
	fi
	check_output "max_value_size 100: tlctl run --set of 100 bytes succeeds ($t65_w)" \
		'100 bytes' t65_as $t65_u tlctl run --set "t65.v=$t65_v100" -- \
		tlctl table show self
	t65_fails "max_value_size 100: tlctl run --set of 101 bytes fails ($t65_w)" \
		"value for 't65\\.v' is 101 bytes, over the module's max_value_size" \
		t65_as $t65_u tlctl run --set "t65.v=$t65_v101" -- true
	check_output "max_value_size 100: key create --initial of 100 bytes succeeds ($t65_w)" \
		"^key t65\\.i$t65_u: id" \
		t65_as $t65_u tlctl key create "t65.i$t65_u" --initial "$t65_v100"
	check_output "... and a get stores those 100 bytes" '100 bytes' \
		t65_as $t65_u sh -c "printf 'get t65.i$t65_u\ntable show\n' |
				     tlctl batch"
	t65_fails "max_value_size 100: key create --initial of 101 bytes fails ($t65_w)" \
		"initial value of 101 bytes is over the module's max_value_size" \
		t65_as $t65_u tlctl key create "t65.j$t65_u" --initial "$t65_v101"
	check "... and creates no key" t65_key_absent "t65.j$t65_u"
done

# the cap: 1 MiB, and a value of exactly that size
check "max_value_size: 1048576 (the cap) is accepted" \
	sh -c "echo 1048576 >$t65_p/max_value_size"
check "max_value_size: 1048577 is refused" \
	t65_param_refused max_value_size 1048577
check "max_value_size: 4294967296 is refused" \
	t65_param_refused max_value_size 4294967296
check_output "... and it stays 1048576" '^1048576$' cat $t65_p/max_value_size
check "max_value_size cannot be written by uid 1000" \
	runas 1000 sh -c "! (echo 5 >$t65_p/max_value_size) 2>/dev/null"
check_output "... and it stays 1048576" '^1048576$' cat $t65_p/max_value_size
if [ $t65_have_limits = 1 ]; then
	for t65_u in 0 1000; do
		t65_w="uid $t65_u"
		check "max_value_size 1048576: SET of 1048576 bytes succeeds ($t65_w)" \
			t65_as $t65_u limits set 1048576 0
		check "max_value_size 1048576: SET of 1048577 bytes fails E2BIG ($t65_w)" \
			t65_as $t65_u limits set 1048577 E2BIG
		check "max_value_size 1048576: an initial value of 1048576 bytes succeeds ($t65_w)" \
			t65_as $t65_u limits create 1048576 0
		check "max_value_size 1048576: an initial value of 1048577 bytes fails E2BIG ($t65_w)" \
			t65_as $t65_u limits create 1048577 E2BIG
	done
	echo 0 >$t65_p/max_value_size
	check "max_value_size 0: an empty value is still allowed" \
		limits set 0 0
	check "max_value_size 0: SET of 1 byte fails E2BIG" limits set 1 E2BIG
fi
echo "$t65_old_vs" >$t65_p/max_value_size

# --- max_entries: ENOSPC for the N+1-th new key of a task ---
for t65_i in 1 2 3 4; do
	tlctl key create "t65.e$t65_i" >/dev/null
done
echo 3 >$t65_p/max_entries
for t65_u in 0 1000; do
	t65_w="uid $t65_u"
	t65_script "set t65.e1 a" "set t65.e2 b" "set t65.e3 c" "table show"
	check_output "max_entries 3: 3 values in one task ($t65_w)" \
		'^len 16, size 3,' t65_as $t65_u tlctl batch /tmp/t65.batch
	t65_script "set t65.e1 a" "set t65.e2 b" "set t65.e3 c" "set t65.e4 d"
	t65_fails "max_entries 3: the 4th new key's set fails (ENOSPC) ($t65_w)" \
		"line 4: this task's table holds max_entries entries" \
		t65_as $t65_u tlctl batch /tmp/t65.batch
	t65_script "set t65.e1 a" "set t65.e2 b" "set t65.e3 c" \
		"set t65.e2 B" "get t65.e2" "table show"
	check_output "max_entries 3: replacing a value at the limit works ($t65_w)" \
		'^t65\.e2 = "B"$' t65_as $t65_u tlctl batch /tmp/t65.batch
	cp /tmp/check.out /tmp/t65.last
	check_output "... and the table still holds 3" '^len 16, size 3,' \
		cat /tmp/t65.last
	t65_script "key create t65.s$t65_u --fd" "set t65.s$t65_u s" \
		"set t65.e1 a" "set t65.e2 b" "kill t65.s$t65_u" \
		"set t65.e3 c" "get t65.e3" "table show"
	check_output "max_entries 3: a stale entry (its key's fd closed) does not count ($t65_w)" \
		'^t65\.e3 = "c"$' t65_as $t65_u tlctl batch /tmp/t65.batch
	cp /tmp/check.out /tmp/t65.last
	check_output "... it was expunged to make room" \
		'^len 16, size 3, threshold 10, stale 0, expunged 1,' \
		cat /tmp/t65.last
	t65_script "key create t65.d$t65_u" "set t65.d$t65_u d" \
		"set t65.e1 a" "set t65.e2 b" "key delete t65.d$t65_u" \
		"set t65.e3 c" "get t65.e3"
	check_output "max_entries 3: a stale entry (its key deleted) does not count ($t65_w)" \
		'^t65\.e3 = "c"$' t65_as $t65_u tlctl batch /tmp/t65.batch
	t65_script "set t65.e1 a" "set t65.e2 b" "set t65.e3 c" \
		"remove t65.e1" "set t65.e4 d" "get t65.e4"
	check_output "max_entries 3: a removed value frees its place ($t65_w)" \
		'^t65\.e4 = "d"$' t65_as $t65_u tlctl batch /tmp/t65.batch
	check "max_entries 3: tlctl run sets 3 values ($t65_w)" \
		t65_as $t65_u tlctl run --set t65.e1=a --set t65.e2=b \
		--set t65.e3=c -- true
	t65_fails "max_entries 3: tlctl run cannot set a 4th ($t65_w)" \
		"cannot set 't65\\.e4': this task holds max_entries entries" \
		t65_as $t65_u tlctl run --set t65.e1=a --set t65.e2=b \
		--set t65.e3=c --set t65.e4=d -- true
done
echo 1 >$t65_p/max_entries
check_output "max_entries 1: one value in a task" '^t65\.e1 = "a"$' \
	sh -c 'printf "set t65.e1 a\nget t65.e1\n" | tlctl batch'
t65_fails "max_entries 1: a second key's set fails" \
	"line 2: this task's table holds max_entries entries" \
	sh -c 'printf "set t65.e1 a\nset t65.e2 b\n" | tlctl batch'
echo 0 >$t65_p/max_entries
t65_fails "max_entries 0: the first set fails" \
	"line 1: this task's table holds max_entries entries" \
	sh -c 'printf "set t65.e1 a\n" | tlctl batch'
if [ $t65_have_limits = 1 ]; then
	check "max_entries 0: SET fails ENOSPC (uid 1000)" \
		runas 1000 limits set 1 ENOSPC
fi
echo "$t65_old_me" >$t65_p/max_entries

# --- max_user_keys: EDQUOT for a user's N+1-th key ---
if [ $t65_have_limits = 1 ]; then
	t65_c0=$(limits keys 0)
	t65_c1=$(limits keys 1000)
	t65_n=$((t65_c0 > t65_c1 ? t65_c0 : t65_c1))
	t65_n=$((t65_n + 3))
	echo "# max_user_keys $t65_n: uid 0 owns $t65_c0 keys, uid 1000 $t65_c1"
	echo $t65_n >$t65_p/max_user_keys
	for t65_u in 0 1000; do
		t65_w="uid $t65_u"
		t65_i=$(limits keys $t65_u)
		t65_bad=0
		while [ $((t65_i + 1)) -lt $t65_n ]; do
			t65_i=$((t65_i + 1))
			t65_as $t65_u tlctl key create "t65.q$t65_u.$t65_i" \
				>/dev/null 2>&1 || t65_bad=$((t65_bad + 1))
		done
		check "max_user_keys $t65_n: keys up to the $((t65_n - 1))th are created ($t65_w)" \
			[ $t65_bad = 0 ]
		check_output "max_user_keys $t65_n: the ${t65_n}th key is created ($t65_w)" \
			"^key t65\\.q$t65_u\\.$t65_n: id" \
			t65_as $t65_u tlctl key create "t65.q$t65_u.$t65_n"
		t65_fails "max_user_keys $t65_n: the $((t65_n + 1))th fails (EDQUOT) ($t65_w)" \
			"cannot create key 't65\\.x$t65_u': this user already owns max_user_keys keys" \
			t65_as $t65_u tlctl key create "t65.x$t65_u"
		check "... and creates no key" t65_key_absent "t65.x$t65_u"
		check "max_user_keys $t65_n: an fd-owned key counts too (EDQUOT) ($t65_w)" \
			t65_as $t65_u limits create 0 EDQUOT
		check_output "max_user_keys $t65_n: the user owns $t65_n keys ($t65_w)" \
			"^$t65_n\$" limits keys $t65_u
		if [ $t65_u = 0 ]; then
			check_output "max_user_keys $t65_n: another user is unaffected (uid 1000 creates a key)" \
				'^key t65\.other: id' \
				runas 1000 tlctl key create t65.other
			check "... and deletes it" \
				runas 1000 tlctl key delete t65.other
		fi
	done
	check "max_user_keys $t65_n: uid 0 is still at its limit" \
		limits create 0 EDQUOT
	check "max_user_keys $t65_n: a deleted key frees its place" \
		sh -c "tlctl key delete t65.q0.$t65_n >/dev/null &&
		       tlctl key create t65.q0.again"
	echo 0 >$t65_p/max_user_keys
	t65_fails "max_user_keys 0: no user may create a key" \
		"this user already owns max_user_keys keys" \
		runas 1000 tlctl key create t65.none
fi
echo "$t65_old_uk" >$t65_p/max_user_keys

# --- max_keys: ENOSPC for the N+1-th key in all ---
if [ $t65_have_limits = 1 ]; then
	t65_t=$(limits keys)
	t65_n=$((t65_t + 2))
	echo "# max_keys $t65_n: $t65_t keys exist"
	echo $t65_n >$t65_p/max_keys
	check_output "max_keys $t65_n: root creates the $((t65_t + 1))th key" \
		'^key t65\.k1: id' tlctl key create t65.k1
	check_output "max_keys $t65_n: uid 1000 creates the ${t65_n}th" \
		'^key t65\.k2: id' runas 1000 tlctl key create t65.k2
	for t65_u in 0 1000; do
		t65_w="uid $t65_u"
		t65_fails "max_keys $t65_n: the $((t65_n + 1))th key fails (ENOSPC) ($t65_w)" \
			"cannot create key 't65\\.k3': the module holds max_keys keys" \
			t65_as $t65_u tlctl key create t65.k3
		check "max_keys $t65_n: an fd-owned key fails too (ENOSPC) ($t65_w)" \
			t65_as $t65_u limits create 0 ENOSPC
	done
	check_output "max_keys $t65_n: there are $t65_n keys" "^$t65_n\$" \
		limits keys
	check "max_keys $t65_n: a deleted key frees its place" \
		sh -c 'tlctl key delete t65.k1 >/dev/null &&
		       runas 1000 tlctl key create t65.k3'
fi
echo "$t65_old_mk" >$t65_p/max_keys

# --- memory cgroups: values are charged, a full cgroup gives ENOMEM ---
t65_cg=/sys/fs/cgroup
t65_mounted=0
if [ ! -e $t65_cg/cgroup.controllers ]; then
	mkdir -p $t65_cg
	mount -t cgroup2 none $t65_cg 2>/dev/null && t65_mounted=1
fi

# t65_get NAME: the value of line "NAME VALUE" of what limits fill said
t65_get() {
	sed -n "s/^$1 //p" /tmp/t65.fill | tail -n 1
}

# t65_events NAME: counter NAME of the t65 cgroup's memory.events
t65_events() {
	sed -n "s/^$1 //p" $t65_cg/t65/memory.events
}

# t65_oom_log: the OOM killer's lines in the kernel log since t65_dmesg
t65_oom_log() {
	dmesg | tail -n +$((t65_dmesg + 1)) |
		grep -Ei 'invoked oom-killer|out of memory|oom-kill|oom_reaper|killed process'
}

# t65_fill UID: fill a table in cgroup t65 as UID, and judge what happened
t65_fill() {
	t65_u=$1
	t65_w="uid $t65_u"
	t65_g=$t65_cg/t65
	t65_dmesg=$(dmesg | wc -l)
	t65_kills=$(t65_events oom_kill)
	rm -f /tmp/t65.fill
	sh -c "echo \$\$ >$t65_g/cgroup.procs &&
	       exec runas $t65_u limits fill $t65_g 1048576" \
		>/tmp/t65.fill 2>&1 &
	t65_pid=$!
	t65_i=0
	while kill -0 $t65_pid 2>/dev/null &&
	      ! grep -q '^holding$' /tmp/t65.fill; do
		t65_i=$((t65_i + 1))
		[ $t65_i -lt 3000 ] || break
		usleep 100000
	done
	sed 's/^/# /' /tmp/t65.fill | grep -v '^# set '
	# values set so far, even if the process did not live to say so
	t65_n=$(t65_get set)
	t65_n=${t65_n:-0}
	t65_vb=$((t65_n * 1048576))
	t65_b=$(t65_get before_current)
	t65_a=$(t65_get after_current)
	echo "# $t65_n values of 1 MiB set; memory.current ${t65_b:-?} -> ${t65_a:-?}"
	check "memcg ($t65_w): the process survives the full cgroup (no OOM kill)" \
		sh -c "kill -0 $t65_pid && grep -q '^holding\$' /tmp/t65.fill"
	check_output "memcg ($t65_w): SET fails with ENOMEM when the cgroup is full" \
		'^error ENOMEM$' cat /tmp/t65.fill
	check "memcg ($t65_w): some values fit before the limit ($t65_n)" \
		[ "$t65_n" -ge 2 ]
	t65_kb=$(t65_get before_kernel)
	t65_ka=$(t65_get after_kernel)
	echo "# unreclaimable kernel memory (vmalloc + slab) ${t65_kb:-?} -> ${t65_ka:-?}"
	if [ -n "$t65_a" ] && [ -n "$t65_b" ] && [ -n "$t65_ka" ] && [ -n "$t65_kb" ]; then
		# memory.current also loses what reclaim takes back near the
		# limit: the values are in the cgroup's vmalloc and slab
		check "memcg ($t65_w): the cgroup's vmalloc + slab grew by at least the value bytes ($((t65_ka - t65_kb)) >= $t65_vb)" \
			[ $((t65_ka - t65_kb)) -ge $t65_vb ]
	else
		tap_not_ok "memcg ($t65_w): the cgroup's vmalloc + slab grew by at least the value bytes (the process did not live to measure it)"
	fi
	# the root cgroup is not held to the child's limit
	check "memcg ($t65_w): a 1 MiB SET in the root cgroup succeeds meanwhile" \
		limits set 1048576 0
	check "memcg ($t65_w): a root cgroup process is still alive" \
		kill -0 $t65_sleeper
	kill -USR1 $t65_pid 2>/dev/null
	wait $t65_pid
	t65_rc=$?
	check "memcg ($t65_w): the process exits normally when released (status $t65_rc)" \
		[ $t65_rc = 0 ]
	check "memcg ($t65_w): no OOM kill in the cgroup (memory.events oom_kill $t65_kills -> $(t65_events oom_kill))" \
		[ "$(t65_events oom_kill)" = "$t65_kills" ]
	t65_oom_log >/tmp/t65.oom
	if [ -s /tmp/t65.oom ]; then
		tap_not_ok "memcg ($t65_w): the kernel log has no OOM kill"
		sed 's/^/# /' /tmp/t65.oom
	else
		tap_ok "memcg ($t65_w): the kernel log has no OOM kill"
	fi
	# the values are uncharged once freed (after an RCU grace period)
	t65_i=0
	while [ "$(cat $t65_g/memory.current)" -ge $t65_vb ] &&
	      [ $t65_i -lt 100 ]; do
		t65_i=$((t65_i + 1))
		usleep 100000
	done
	check "memcg ($t65_w): memory.current falls below the value bytes after exit ($(cat $t65_g/memory.current) < $t65_vb)" \
		[ "$(cat $t65_g/memory.current)" -lt $t65_vb ]
}

if [ $t65_have_limits = 0 ]; then
	echo "# memcg: no limits helper, memory cgroup checks not run"
elif ! grep -qw memory $t65_cg/cgroup.controllers 2>/dev/null; then
	echo "# memcg: this kernel has no cgroup2 memory controller," \
		"memory cgroup checks not run"
else
	t65_sub=$(cat $t65_cg/cgroup.subtree_control)
	echo +memory >$t65_cg/cgroup.subtree_control
	mkdir -p $t65_cg/t65
	echo 8388608 >$t65_cg/t65/memory.max
	if [ -e $t65_cg/t65/memory.swap.max ]; then
		echo 0 >$t65_cg/t65/memory.swap.max
	fi
	swapoff -a 2>/dev/null
	echo 1048576 >$t65_p/max_value_size
	echo 65536 >$t65_p/max_entries
	sleep 600 &
	t65_sleeper=$!
	check_output "memcg: cgroup t65 has memory.max 8 MiB" '^8388608$' \
		cat $t65_cg/t65/memory.max
	t65_fill 0
	t65_fill 1000
	kill $t65_sleeper
	wait $t65_sleeper 2>/dev/null
	rmdir $t65_cg/t65
	case " $t65_sub " in
	*" memory "*) ;;
	*) echo -memory >$t65_cg/cgroup.subtree_control ;;
	esac
	echo "$t65_old_vs" >$t65_p/max_value_size
	echo "$t65_old_me" >$t65_p/max_entries
fi
[ $t65_mounted = 1 ] && umount $t65_cg

# --- the end: parameters back, every t65 key gone ---
echo "$t65_old_vs" >$t65_p/max_value_size
echo "$t65_old_me" >$t65_p/max_entries
echo "$t65_old_uk" >$t65_p/max_user_keys
echo "$t65_old_mk" >$t65_p/max_keys
check_output "the limits are back" \
	"^limits: value $t65_old_vs bytes, $t65_old_me entries/task, $t65_old_uk keys/user, $t65_old_mk keys\$" \
	tlctl version
t65_bad=0
for t65_k in $(tlctl key list | awk '$2 ~ /^t65\./ && $NF !~ /dead/ { print $2 }'); do
	tlctl key delete "$t65_k" >/dev/null || t65_bad=$((t65_bad + 1))
done
check "every t65 key is deleted" [ $t65_bad = 0 ]
check "every t65 key is gone again" \
	sh -c '! tlctl key list | grep -q " t65\."'
