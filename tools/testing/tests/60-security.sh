# SPDX-License-Identifier: GPL-2.0-only
# Who may do what: a named key is deleted only by its owner (or with
# CAP_SYS_ADMIN); another task's table is read only with the rights
# ptrace would need (same uid and dumpable, or CAP_SYS_PTRACE). Runs as
# root; drops to uid 1000 ("user") and 65534 ("nobody") with runas, or
# busybox su where runas is missing. Keys start with "t60.".

# t60_su_cmd CMD...: CMD as one string for su -c, each word quoted
t60_su_cmd() {
	t60_cmd=exec
	for t60_w in "$@"; do
		t60_cmd="$t60_cmd '$(printf '%s' "$t60_w" | sed "s/'/'\\\\''/g")'"
	done
}

# t60_as UID CMD...: run CMD as UID (and the same gid)
t60_as() {
	t60_uid=$1
	shift
	if command -v runas >/dev/null 2>&1; then
		runas "$t60_uid" "$@"
		return
	fi
	t60_su_cmd "$@"
	su -s /bin/sh "$(awk -F: -v u="$t60_uid" '$3 == u { print $1 }' \
		/etc/passwd)" -c "$t60_cmd"
}

# t60_exec_as UID CMD...: become CMD run as UID; for "t60_exec_as ... &",
# so that $! is the pid CMD ends up running in
t60_exec_as() {
	t60_uid=$1
	shift
	if command -v runas >/dev/null 2>&1; then
		exec runas "$t60_uid" "$@"
	fi
	t60_su_cmd "$@"
	exec su -s /bin/sh "$(awk -F: -v u="$t60_uid" '$3 == u { print $1 }' \
		/etc/passwd)" -c "$t60_cmd"
}

# t60_wait_comm PID COMM: wait until PID runs COMM (it has exec'd)
t60_wait_comm() {
	t60_i=0
	while [ "$(cat /proc/$1/comm 2>/dev/null)" != "$2" ]; do
		t60_i=$((t60_i + 1))
		[ $t60_i -lt 1500 ] || return 1
		usleep 20000
	done
}

check_output "an unprivileged user runs tlctl as uid 1000" '^1000$' \
	t60_as 1000 id -u
check_output "root creates a key" '^key t60\.root: id' \
	tlctl key create t60.root
check_output "user creates a key" '^key t60\.user: id' \
	t60_as 1000 tlctl key create t60.user
check_output "key list shows each key's owner" \
	'  t60\.user +0x[0-9a-f]{8} +1000 +sr- +0  -$' tlctl key list
check_output "... as the user sees it too" \
	'  t60\.root +0x[0-9a-f]{8} +0 +sr- +0  -$' t60_as 1000 tlctl key list

# Deleting keys.
check_fails "user cannot delete root's key (EPERM)" 1 \
	t60_as 1000 tlctl key delete t60.root
check_output "... saying whose it is" \
	"key 't60\\.root' belongs to uid 0: only its owner or CAP_SYS_ADMIN may delete it" \
	t60_as 1000 sh -c 'tlctl key delete t60.root; true'
check_output "... and root's key is still there" '  t60\.root ' tlctl key list
check_fails "nobody cannot delete user's key (EPERM)" 1 \
	t60_as 65534 tlctl key delete t60.user
check_fails "nobody cannot delete user's key by id either" 1 \
	t60_as 65534 tlctl key delete \
	"$(tlctl -j key list | sed 's/.*{"id":\([0-9]*\),"name":"t60\.user".*/\1/')"
check_output "user can delete a key of its own" \
	'^key t60\.user2 \(id [0-9]+\) deleted$' \
	t60_as 1000 sh -c 'tlctl key create t60.user2 >/dev/null &&
			   tlctl key delete t60.user2'
check_output "root can delete user's key (CAP_SYS_ADMIN)" \
	'^key t60\.user \(id [0-9]+\) deleted$' tlctl key delete t60.user

# Reading tables.
t60_as 1000 tlctl key create t60.mine >/dev/null
tlctl run --set t60.root=rootvalue -- sleep 600 &
rpid=$!
t60_exec_as 1000 tlctl run --set t60.mine=uservalue -- sleep 600 &
upid=$!
check "a root task holds a value" t60_wait_comm $rpid sleep
check "a user task holds a value" t60_wait_comm $upid sleep
check_fails "user cannot read root's table (EPERM)" 1 \
	t60_as 1000 tlctl table show $rpid
check_output "... saying what it needs" \
	"^Error: not permitted to read the table of pid $rpid: it needs the same uid and a dumpable task, or CAP_SYS_PTRACE\$" \
	t60_as 1000 sh -c "tlctl table show $rpid; true"
check_output "... nor see its values" '^0$' \
	t60_as 1000 sh -c "tlctl table show $rpid --values 2>&1 | grep -c rootvalue; true"
check_output "-j: the error as JSON" '^\{"error":"not permitted to read' \
	t60_as 1000 sh -c "tlctl -j table show $rpid; true"
check_output "user can read the table of its own task" \
	'  t60\.mine +[0-9]+ +[0-9]+ +[0-9]+  "uservalue"$' \
	t60_as 1000 tlctl table show $upid --values
check_output "user can read its own table (self)" \
	'  t60\.mine +[0-9]+ +[0-9]+ +[0-9]+  "v"$' \
	t60_as 1000 tlctl run --set t60.mine=v -- tlctl table show self --values
check_fails "nobody cannot read user's table (EPERM)" 1 \
	t60_as 65534 tlctl table show $upid
check_output "root can read user's table (CAP_SYS_PTRACE)" \
	'  t60\.mine +[0-9]+ +[0-9]+ +[0-9]+  "uservalue"$' \
	tlctl table show $upid --values
check_output "user's 'table show' of every table draws its own..." \
	"^pid $upid \\(sleep\\): 16 slots\$" t60_as 1000 tlctl table show
check_output "... and not the tables it may not read" "^0\$" \
	t60_as 1000 sh -c "tlctl table show | grep -c '^pid $rpid '; true"
check_output "... nor their values" '^0$' \
	t60_as 1000 sh -c 'tlctl table show --values | grep -c rootvalue; true'
check_output "user's table list shows its own task" "^ +$upid  sleep " \
	t60_as 1000 tlctl table list
check_output "... and not root's, which it may not read" "^0\$" \
	t60_as 1000 sh -c "tlctl table list | grep -c '^ *$rpid '; true"
check_output "root's table list shows both" "^ +$rpid  sleep " \
	tlctl table list
check_output "a new pid namespace sees no task outside it (table list)" \
	'^0$' sh -c "unshare -p -f --mount-proc tlctl table list |
		    grep -c sleep; true"
check_output "... and its own, with the pids it knows them by" \
	'^ +[0-9]+  tlctl +16 +1 ' unshare -p -f --mount-proc \
	tlctl run --set t60.mine=ns -- tlctl table list

kill $rpid $upid
wait $rpid $upid 2>/dev/null

# Keys' modes: what others than the owner may do.
check_output "root creates a key no one else may use (--mode none)" \
	'^key t60\.locked: id' tlctl key create t60.locked --mode none
check_output "... listed with mode ---" '  t60\.locked +0x[0-9a-f]{8} +0 +--- ' \
	tlctl key list
check_fails "user cannot set a value under it (EACCES)" 1 \
	t60_as 1000 tlctl run --set t60.locked=planted -- true
check_output "... saying why" \
	"^Error: cannot set 't60\\.locked': key of uid 0, whose mode lets no other user set values\$" \
	t60_as 1000 sh -c 'tlctl run --set t60.locked=planted -- true; true'
check_output "root, its owner, can" '^ok$' \
	tlctl run --set t60.locked=v -- echo ok
tlctl key create t60.init --mode none --initial rootsinit >/dev/null
check_output "a key's initial value is no secret: user's GET of it gets it" \
	'^t60\.init = "rootsinit" \(initial value' \
	t60_as 1000 sh -c 'echo "get t60.init" | tlctl batch'
tlctl key delete t60.init >/dev/null
check_output "an unprivileged user reads the module-wide counters" \
	'^tables ' t60_as 1000 tlctl stats
check_fails "a bad --mode is a usage error" 2 \
	tlctl key create t60.bad --mode set,write
check_output "user creates a key others may set and delete, not read" \
	'^key t60\.shared: id' t60_as 1000 tlctl key create t60.shared \
	--mode set,delete
check_output "... listed with mode s-d" '  t60\.shared +0x[0-9a-f]{8} +1000 +s-d ' \
	tlctl key list
t60_exec_as 65534 tlctl run --set t60.shared=nobodys -- sleep 600 &
npid=$!
check "nobody may set a value under it" t60_wait_comm $npid sleep
check_output "root reads nobody's value (CAP_SYS_ADMIN: whatever the mode)" \
	'  t60\.shared +[0-9]+ +[0-9]+ +[0-9]+  "nobodys"$' \
	tlctl table show $npid --values
check_output "nobody's own table shows it its value" \
	'  t60\.shared +[0-9]+ +[0-9]+ +[0-9]+  "v"$' t60_as 65534 \
	tlctl run --set t60.shared=v -- tlctl table show self --values
check_output "nobody reading another of its tasks sees the size, not the bytes" \
	'  t60\.shared +[0-9]+ +[0-9]+ +[0-9]+  7 bytes \(hidden: the key.s mode\)$' \
	t60_as 65534 tlctl table show $npid --values
check_output "... and in JSON, hidden and without the value" \
	'"name":"t60\.shared",[^}]*"hidden":true,"value_len":7,"value":null,"value_hex":null\}' \
	t60_as 65534 tlctl -j table show $npid --values
kill $npid
wait $npid 2>/dev/null
check_output "nobody may delete it (the mode has delete)" \
	'^key t60\.shared \(id [0-9]+\) deleted$' \
	t60_as 65534 tlctl key delete t60.shared

# Squatted names: a consumer names the owner it expects.
t60_as 1000 tlctl key create t60.svc >/dev/null
check_fails "a consumer expecting root's t60.svc refuses user's (tlctl -o 0)" 1 \
	tlctl -o 0 run --set t60.svc=x -- true
check_output "... saying whose it is" \
	"^Error: key 't60\\.svc' belongs to uid 1000, not to uid 0: not using it\$" \
	sh -c 'tlctl -o 0 run --set t60.svc=x -- true; true'
check_fails "... nor deletes it by that name" 1 tlctl -o 0 key delete t60.svc
check_output "with the owner it has, the name resolves" '^ok$' \
	tlctl -o 1000 run --set t60.svc=x -- echo ok
tlctl key delete t60.svc >/dev/null
tlctl key delete t60.locked >/dev/null
tlctl key delete t60.root >/dev/null
tlctl key delete t60.mine >/dev/null
check "every t60 key is deleted again" \
	sh -c '! tlctl key list | grep -q " t60\."'
