# SPDX-License-Identifier: GPL-2.0-only
# The sweeper: a deleted key's values leave the tables of idle tasks
# (sleeping, never touching their tables again) within sweep_delay_ms
# and a bound, without waking them; with sweep_delay_ms 0 they stay, as
# OpenJDK's stale entries do, until their tasks go. The suite runs with
# the sweeper off (stock-tests.sh); this file turns it on and off again.
# Keys start with "t35.".

t35_p=/sys/module/tasklocal/parameters/sweep_delay_ms
t35_n=20

# t35_holders KEY: t35_n sleeping tasks each holding a value of KEY
t35_holders() {
	t35_i=0
	t35_pids=
	while [ $t35_i -lt $t35_n ]; do
		tlctl run --set "$1=pinned-$t35_i" -- sleep 600 &
		t35_pids="$t35_pids $!"
		t35_i=$((t35_i + 1))
	done
	t35_w=0
	until [ "$(tlctl -j key list | grep -o "\"name\":\"$1\"[^}]*\"entries\":$t35_n}" | wc -l)" = 1 ]; do
		t35_w=$((t35_w + 1))
		[ $t35_w -lt 500 ] || return 1
		usleep 20000
	done
}

# t35_switches: the holders' context switches, one line each
t35_switches() {
	for t35_pid in $t35_pids; do
		grep ctxt_switches /proc/$t35_pid/status | tr -s '\t ' ' '
	done
}

# t35_empty: no holder's table holds an entry
t35_empty() {
	tlctl -j table list >/tmp/t35.list || return 1
	for t35_pid in $t35_pids; do
		if grep -Eq "\"pid\":$t35_pid,[^}]*\"size\":[1-9]" /tmp/t35.list; then
			echo "task $t35_pid still holds an entry"
			return 1
		fi
	done
}

t35_stop() {
	kill $t35_pids 2>/dev/null
	for t35_pid in $t35_pids; do
		wait $t35_pid
	done
}

# the key is listed no more: dead, and no entry of it left anywhere
t35_gone() {
	! tlctl key list | grep -q " $1 "
}

echo 300 >$t35_p
check "key create t35.swept" tlctl key create t35.swept
check "sweeper on: $t35_n idle tasks hold a value of t35.swept" \
	t35_holders t35.swept
t35_switches >/tmp/t35.before
t35_swept0=$(tlctl -j stats | sed 's/.*"swept":\([0-9]*\).*/\1/')
t35_t0=$(cut -d' ' -f1 /proc/uptime)
check "sweeper on: key delete of t35.swept" tlctl key delete t35.swept
t35_w=0
while ! t35_gone t35.swept && [ $t35_w -lt 1000 ]; do
	t35_w=$((t35_w + 1))
	usleep 10000
done
t35_t1=$(cut -d' ' -f1 /proc/uptime)
echo "# t35.swept's $t35_n values gone $(echo "$t35_t0 $t35_t1" | awk '{ printf "%.2f", $2 - $1 }') s after the delete (sweep_delay_ms 300)"
check "sweeper on: every value gone within 10 s, no dead key left" \
	t35_gone t35.swept
t35_switches >/tmp/t35.after
check "sweeper on: no holder ran meanwhile (same context switches)" \
	cmp /tmp/t35.before /tmp/t35.after
check "sweeper on: no holder has a table entry left" t35_empty
check "sweeper on: stats count $t35_n entries swept" \
	test "$(tlctl -j stats | sed 's/.*"swept":\([0-9]*\).*/\1/')" -ge \
	$((t35_swept0 + t35_n))
t35_stop

echo 0 >$t35_p
check "key create t35.kept" tlctl key create t35.kept
check "sweeper off: $t35_n idle tasks hold a value of t35.kept" \
	t35_holders t35.kept
tlctl key delete t35.kept >/dev/null
sleep 1
check_output "sweeper off: a second later the dead key keeps its $t35_n entries" \
	"\"name\":\"t35\\.kept\"[^}]*\"dead\":true[^}]*\"entries\":$t35_n}" \
	tlctl -j key list
check_fails_output "sweeper off: tlctl leaks shows the pinned values (status 1: found)" \
	1 "t35\\.kept" tlctl leaks
t35_stop
t35_w=0
while ! t35_gone t35.kept && [ $t35_w -lt 500 ]; do
	t35_w=$((t35_w + 1))
	usleep 10000
done
check "sweeper off: the values go with their tasks" t35_gone t35.kept
