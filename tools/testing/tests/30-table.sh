# SPDX-License-Identifier: GPL-2.0-only
# Tables drawn slot by slot (tlctl table show), the tasks that have them
# (table list), and what stale entries look like from outside (leaks,
# stats). Keys start with "t30.".

# t30_part CMD: the output of batch command CMD, from /tmp/t30.out
t30_part() {
	awk -v c="> $1" '$0 == c { on = 1; next } /^> / { on = 0 } on' \
		/tmp/t30.out
}

# t30_slot CMD NAME: where NAME's slot is in CMD's drawing: "home" or
# "away" (index against home slot), then the probe distance
t30_slot() {
	t30_part "$1" | awk -v k="$2" '$2 == k {
		print ($1 == $4 ? "home" : "away"), $5 }'
}

# t30_empty CMD: the empty slots in CMD's drawing, counted
t30_empty() {
	t30_part "$1" | awk '/^  \.\.\. [0-9]+ empty slots? \.\.\.$/ {
		n += $2 } END { print n + 0 }'
}

# t30_count CMD PATTERN: lines of CMD's output that match PATTERN
t30_count() {
	t30_part "$1" | grep -c -E -- "$2"
	return 0
}

# t30_wait_comm PID COMM: wait until PID runs COMM (it has exec'd)
t30_wait_comm() {
	t30_i=0
	while [ "$(cat /proc/$1/comm 2>/dev/null)" != "$2" ]; do
		t30_i=$((t30_i + 1))
		[ $t30_i -lt 1500 ] || return 1
		usleep 20000
	done
}

# Seventeen keys in a row: c0 and c16 share a home slot in a 16-slot
# table (hashes step by 0x61c88647, which is 7 modulo 16), so c16 lands
# one slot after c0. When c0 dies, its entry is stale; a get of c16 meets
# it on the way (getEntryAfterMiss), expunges it, and c16 moves home.
{
	i=0
	while [ $i -le 16 ]; do
		echo "key create t30.c$i --fd"
		i=$((i + 1))
	done
	cat <<'EOF'
# c0 and c16 collide
set t30.c0 x
set t30.c16 "why not"
table show self --values
kill t30.c0
table show self
get t30.c16
table show
EOF
} >/tmp/t30.batch
check "a batch lays out two colliding keys" \
	sh -c 'tlctl batch /tmp/t30.batch >/tmp/t30.out 2>&1'
check_output "table show: a header line with the pid and the length" \
	'^pid [0-9]+ \(tlctl\): 16 slots$' t30_part "table show self --values"
check_output "table show: column headings" \
	'^  SLOT  KEY +ID  HOME  DIST  VALUE$' t30_part "table show self --values"
check_output "the first key sits in its home slot, distance 0" '^home 0$' \
	t30_slot "table show self --values" t30.c0
check_output "the colliding key is one slot further, distance 1" \
	'^away 1$' t30_slot "table show self --values" t30.c16
check_output "slot lines: index, key, id, home, distance, value" \
	'^ +[0-9]+  t30\.c16 +[0-9]+ +[0-9]+ +1  "why not"$' \
	t30_part "table show self --values"
check_output "runs of empty slots are collapsed into one line" \
	'^  \.\.\. [0-9]+ empty slots? \.\.\.$' t30_part "table show self --values"
check_output "... and account for the 14 empty slots" '^14$' \
	t30_empty "table show self --values"
check_output "the summary line" \
	'^len 16, size 2, threshold 10, stale 0, expunged 0, resizes 0, rehashes 0, value bytes 8$' \
	t30_part "table show self --values"
check_output "kill of an fd-owned key closes its fd" \
	'^key t30\.c0: fd [0-9]+ closed, the key is dead$' t30_part "kill t30.c0"
check_output "the dead key's entry shows as stale" \
	'^ +[0-9]+  t30\.c0 +[0-9]+ +[0-9]+ +0  1 byte  stale$' \
	t30_part "table show self"
check_output "... and is counted stale" \
	'^len 16, size 2, threshold 10, stale 1, expunged 0,' \
	t30_part "table show self"
check_output "get of the colliding key still finds it" '^t30\.c16 = "why not"$' \
	t30_part "get t30.c16"
check_output "that get expunged the stale entry" \
	'^len 16, size 1, threshold 10, stale 0, expunged 1, resizes 0, rehashes 0, value bytes 7$' \
	t30_part "table show"
check_output "... and the colliding key moved to its home slot" '^home 0$' \
	t30_slot "table show" t30.c16
check_output "the stale entry is gone" '^0$' \
	t30_count "table show" "t30\.c0 "
check_output "without --values, a value's size is shown" \
	'  t30\.c16 +[0-9]+ +[0-9]+ +0  7 bytes$' t30_part "table show"

# Twenty entries: the table doubles when its size reaches the threshold
# (rehash() then resize(), as OpenJDK does), and tlctl asks again with
# more room when the dump does not fit its first guess of 16 slots.
{
	i=0
	while [ $i -lt 20 ]; do
		echo "key create t30.r$i --fd"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 20 ]; do
		echo "set t30.r$i $i"
		[ $i = 8 ] && echo "table show self"
		i=$((i + 1))
	done
	echo "table show --values"
} >/tmp/t30.batch
check "a batch fills a table with 20 entries" \
	sh -c 'tlctl batch /tmp/t30.batch >/tmp/t30.out 2>&1'
check_output "9 entries fit in 16 slots" \
	'^len 16, size 9, threshold 10, stale 0, expunged 0, resizes 0, rehashes 0,' \
	t30_part "table show self"
check_output "the 10th doubled the table: rehash, then resize" \
	'^len 32, size 20, threshold 21, stale 0, expunged 0, resizes 1, rehashes 1,' \
	t30_part "table show --values"
check_output "all 20 entries are drawn" '^20$' \
	t30_count "table show --values" '  t30\.r[0-9]+ .*"[0-9]+"$'

# Long values are cut to 32 characters; a dump whose values do not fit
# tlctl's first buffer (4096 bytes) is asked for again with more room.
v50=$(head -c 50 /dev/zero | tr '\0' v)
w3000=$(head -c 3000 /dev/zero | tr '\0' w)
printf '%s\n' "key create t30.long --fd" "set t30.long $v50" \
	"key create t30.w1 --fd" "set t30.w1 $w3000" \
	"key create t30.w2 --fd" "set t30.w2 $w3000" \
	"table show self --values" >/tmp/t30.batch
check "a batch sets values of 50 and 2 x 3000 bytes" \
	sh -c 'tlctl batch /tmp/t30.batch >/tmp/t30.out 2>&1'
check_output "a long value is cut to 32 characters" \
	'  t30\.long .*  "v{32}"\.\.\.$' t30_part "table show self --values"
check_output "values past the first buffer are fetched too" '^2$' \
	t30_count "table show self --values" '  t30\.w[12] .*  "w{32}"\.\.\.$'
check_output "the summary counts every value byte" 'value bytes 6050$' \
	t30_part "table show self --values"

printf '%s\n' "key create t30.j --fd" "set t30.j hi" \
	"table show self --values" >/tmp/t30.batch
check_output "-j table show: the table and its slots" \
	'"table":\{"pid":[0-9]+,"comm":"tlctl","len":16,"size":1,"threshold":10,"stale":0,"expunged":0,"resizes":0,"rehashes":0,"value_bytes":2,"slots":\[\{"index":[0-9]+,"key_id":[0-9]+,"name":"t30\.j","hash":[0-9]+,"home":[0-9]+,"distance":0,"stale":false,"kernel":false,"hidden":false,"value_len":2,"value":"hi","value_hex":"6869"\}\]\}' \
	tlctl -j batch /tmp/t30.batch

# Another task's table, by pid: a long-running task, as in a pool.
tlctl key create t30.held >/dev/null
tlctl key create t30.leak >/dev/null
tlctl run --set t30.held=kept --set t30.leak=LEAKVALUE -- sleep 600 &
pid=$!
check "a task holding two values runs (tlctl run ... -- sleep)" \
	t30_wait_comm $pid sleep
check_output "table list shows it" \
	"^ +$pid  sleep +16 +2 +0 +13\$" tlctl table list
check_output "table list has a header" \
	'^ +PID  COMM +LEN +SIZE +STALE +BYTES$' tlctl table list
check_output "-j table list" \
	"\\{\"pid\":$pid,\"comm\":\"sleep\",\"len\":16,\"size\":2,\"stale\":0,\"value_bytes\":13\\}" \
	tlctl -j table list
# a task whose name is not UTF-8: 0xe9 alone, then 0xff
tlctl run --set t30.held=x -- sh -c \
	'printf "caf\351\377\"" >/proc/self/comm; while :; do sleep 1; done' &
t30_odd=$!
sleep 1
check_output "-j table list: a name of any bytes is valid JSON (\\udcXX for each stray byte)" \
	"\\{\"pid\":$t30_odd,\"comm\":\"caf\\\\udce9\\\\udcff\\\\\"\"," \
	tlctl -j table list
kill $t30_odd
wait $t30_odd 2>/dev/null
check_output "table show PID draws that task's table" \
	"^pid $pid \\(sleep\\): 16 slots\$" tlctl table show $pid
check_output "table show PID --values shows its values" \
	'  t30\.held +[0-9]+ +[0-9]+ +[0-9]+  "kept"$' \
	tlctl table show $pid --values
check_output "table show with no PID draws every task's table" \
	"^pid $pid \\(sleep\\): 16 slots\$" tlctl table show
check_output "table alone is table show" \
	"^pid $pid \\(sleep\\): 16 slots\$" tlctl table
check_output "tlctl t s: unique prefixes" "^pid $pid \\(sleep\\)" \
	tlctl t s $pid
check_output "leaks: none yet" \
	'^no stale entries, no dead keys with entries left$' tlctl leaks
check_output "key delete of a key in use says its entries are stale now" \
	'^key t30\.leak \(id [0-9]+\) deleted: its 1 entry is now stale$' \
	tlctl key delete t30.leak
check_output "the task's table shows the entry stale" \
	'  t30\.leak +[0-9]+ +[0-9]+ +[0-9]+  9 bytes  stale$' \
	tlctl table show $pid
check_output "key list still shows the dead key, with its entry" \
	'  t30\.leak +0x[0-9a-f]{8} +0 +sr- +1  dead$' tlctl key list
check_fails_output "leaks shows the task that holds the stale entry (status 1: found some, as diff)" 1 \
	"^pid $pid \\(sleep\\): 1 stale entry of 2, holding 9 of 13 value bytes, under t30\\.leak\$" \
	tlctl leaks
check_fails_output "leaks shows the dead key with its entry left, and how long ago it died" 1 \
	'^dead key t30\.leak \(id [0-9]+, uid 0, dead for [0-9]+\.[0-9] s\): 1 entry left in tables$' \
	tlctl leaks
sleep 1
check_fails_output "... a second later, dead for a second more" 1 \
	'^dead key t30\.leak \(id [0-9]+, uid 0, dead for ([1-9][0-9]*)\.[0-9] s\)' \
	tlctl leaks
check_fails_output "leaks sums up what is pinned" 1 \
	'^in all: 1 task pins 9 value bytes in 1 stale entry; 1 dead key has entries left$' \
	tlctl leaks
check_fails_output "leaks says how the values get freed" 1 \
	'sweeper removes' tlctl leaks
check_fails_output "-j leaks" 1 \
	"^\\{\"tasks\":\\[\\{\"pid\":$pid,\"comm\":\"sleep\",\"stale\":1,\"size\":2,\"value_bytes\":13,\"stale_bytes\":9,\"dead_key_ids\":\\[[0-9]+\\]\\}\\],\"dead_keys\":\\[\\{\"id\":[0-9]+,\"name\":\"t30\\.leak\",\"uid\":0,\"entries\":1,\"dead_for_ms\":[0-9]+\\}\\],\"summary\":\\{\"tasks\":1,\"stale\":1,\"stale_bytes\":9,\"dead_keys\":1\\}\\}\$" \
	tlctl -j leaks
check_output "stats counts the stale entry" '^entries +[0-9]+ \(stale 1\)$' \
	tlctl stats
check_output "stats counts the dead key with entries left" \
	'^keys +[0-9]+ \(dead with entries left 1\)$' tlctl stats
check_output "-j stats" \
	'^\{"tables":1,"entries":2,"stale":1,"value_bytes":[0-9]+,"keys":[0-9]+,"dead_keys":1,"tables_created":[0-9]+,"tables_freed":[0-9]+,"expunged":[0-9]+,"resizes":[0-9]+,"swept":[0-9]+,"inherit_failed":[0-9]+\}$' \
	tlctl -j stats
kill $pid
wait $pid 2>/dev/null
check_output "when the task exits, its table and the stale entry go" \
	'^no stale entries, no dead keys with entries left$' tlctl leaks
check_output "... and the dead key is gone" '^0$' \
	sh -c 'tlctl key list | grep -c " t30\.leak "; true'
check_output "stats: no table left" '^tables +0 \(created [0-9]+, freed [0-9]+ since load\)$' \
	tlctl stats
tlctl key delete t30.held >/dev/null

# A task without a table, and failures.
sleep 600 &
pid=$!
t30_wait_comm $pid sleep	# until it has exec'd, its name is the shell's
check_output "table show of a task without a table says so" \
	"^pid $pid \\(sleep\\): no table\$" tlctl table show $pid
check_output "-j: a table object whose slots are null" \
	"^\\{\"pid\":$pid,\"comm\":\"sleep\",\"slots\":null\\}\$" \
	tlctl -j table show $pid
kill $pid
wait $pid 2>/dev/null
check_fails "table show of no such task fails (ESRCH)" 1 \
	tlctl table show 999999
check_output "... saying so" '^Error: no such task: 999999$' \
	sh -c 'tlctl table show 999999; true'
check_fails "table show of a bad PID is a usage error" 2 tlctl table show abc
check_fails "table show of two PIDs is a usage error" 2 tlctl table show 1 2
check_fails "table list with an argument is a usage error" 2 \
	tlctl table list 1
check_fails "stats with an argument is a usage error" 2 tlctl stats 1
check_fails "leaks with an argument is a usage error" 2 tlctl leaks 1
check_output "table help explains the drawing" 'probe distance' \
	tlctl table help
check_output "stats help" '^Usage: tlctl stats$' tlctl stats help
check_output "leaks help" '^Usage: tlctl leaks \[--reclaim\]$' tlctl leaks help
