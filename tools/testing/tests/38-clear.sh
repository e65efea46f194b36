# SPDX-License-Identifier: GPL-2.0-only
# Clearing another task's table (tlctl table clear, CLEAR by pid), all of
# it or one key's entry, with the rights ptrace attach needs; and
# tlctl leaks --reclaim, which clears the stale entries leaks reports.
# The sweeper is off here (stock-tests.sh), so stale entries stay until
# something clears them. Keys start with "t38.".

t38_pids=

# t38_hold [UID] KEY=VALUE...: a sleeping task holding the values
t38_hold() {
	t38_uid=0
	case "$1" in
	*=*) ;;
	*) t38_uid=$1; shift ;;
	esac
	t38_args=
	for t38_kv in "$@"; do
		t38_args="$t38_args --set $t38_kv"
	done
	if [ "$t38_uid" = 0 ]; then
		tlctl run $t38_args -- sleep 600 &
	else
		runas "$t38_uid" tlctl run $t38_args -- sleep 600 &
	fi
	t38_pid=$!
	t38_pids="$t38_pids $t38_pid"
	t38_w=0
	until [ "$(tlctl -j table show $t38_pid 2>/dev/null | grep -o '"size":[0-9]*' | head -n 1)" = "\"size\":$#" ]; do
		t38_w=$((t38_w + 1))
		[ $t38_w -lt 500 ] || return 1
		usleep 10000
	done
}

# t38_size PID: the size of PID's table
t38_size() {
	tlctl -j table show "$1" | sed -n 's/.*"size":\([0-9]*\).*/\1/p' | head -n 1
}

tlctl key create t38.a >/dev/null
tlctl key create t38.b >/dev/null
chmod 1777 /tmp
check "a root task holds t38.a and t38.b" t38_hold t38.a=1 t38.b=2
t38_root=$t38_pid
check_output "table clear --key removes that key's entry alone" \
	"^removed 1 entry from pid $t38_root\$" \
	tlctl table clear $t38_root --key t38.a
check_output "... the other stays" '^1$' t38_size $t38_root
check_fails_output "uid 1000 may not clear root's table, and is told why" 1 \
	'not permitted' runas 1000 tlctl table clear $t38_root
check_output "... and the entry stays" '^1$' t38_size $t38_root
check_output "table clear removes the rest" \
	"^removed 1 entry from pid $t38_root\$" tlctl table clear $t38_root
check_output "... the table is empty" '^0$' t38_size $t38_root
check "a uid 1000 task holds t38.a" t38_hold 1000 t38.a=u
t38_user=$t38_pid
check_output "uid 1000 clears its own other task's table (JSON)" \
	"^\\{\"pid\":$t38_user,\"removed\":1\\}\$" \
	runas 1000 tlctl -j table clear $t38_user
check_fails_output "table clear of a pid no task has fails, saying so" 1 \
	'no task with pid 2147483000' tlctl table clear 2147483000
check_fails "table clear without a PID is a usage error" 2 tlctl table clear
check_fails "table clear --key of no key fails" 1 \
	tlctl table clear $t38_root --key t38.none

# leaks --reclaim: three idle holders of a deleted key
tlctl key create t38.dead >/dev/null
for t38_i in 1 2 3; do
	t38_hold t38.dead=pinned$t38_i
done
tlctl key delete t38.dead >/dev/null
check_fails_output "leaks reports the three holders of t38.dead's values" 1 \
	'^dead key t38\.dead \(id [0-9]+, uid 0, dead for [0-9.]+ s\): 3 entries left in tables$' \
	tlctl leaks
check_output "leaks --reclaim clears them" \
	'^reclaimed 3 entries from 3 tasks$' tlctl leaks --reclaim
check_output "... and leaks finds nothing after" \
	'^no stale entries, no dead keys with entries left$' tlctl leaks
check_output "leaks --reclaim with nothing to reclaim says so" \
	'^no stale entries, no dead keys with entries left$' \
	tlctl leaks --reclaim
check_fails "leaks with an unknown option is a usage error" 2 \
	tlctl leaks --bogus

kill $t38_pids 2>/dev/null
for t38_pid in $t38_pids; do
	wait $t38_pid
done
tlctl key delete t38.a >/dev/null
tlctl key delete t38.b >/dev/null
check "every t38 key is gone again" \
	sh -c '! tlctl key list | grep -q " t38\."'
