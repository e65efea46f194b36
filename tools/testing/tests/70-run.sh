# SPDX-License-Identifier: GPL-2.0-only
# tlctl run: values set in tlctl's own table are still there after it
# execs the command (the table belongs to the task), and inheritable ones
# reach the command's children. Keys start with "t70.".
# tests: tool

tlctl key create t70.a >/dev/null
tlctl key create t70.b >/dev/null
tlctl key create t70.inh --inheritable >/dev/null

check_output "a value set by run survives execve" \
	'  t70\.a +[0-9]+ +[0-9]+ +[0-9]+  "1"$' \
	tlctl run --set t70.a=1 -- tlctl table show self --values
check_output "so does a second one" \
	'  t70\.b +[0-9]+ +[0-9]+ +[0-9]+  "two words"$' \
	tlctl run --set t70.a=1 --set "t70.b=two words" -- \
	tlctl table show self --values
check_output "--set=NAME=VALUE and -s NAME=VALUE work too" \
	'^len 16, size 2, ' \
	tlctl run --set=t70.a=1 -s t70.b=2 -- tlctl table show self
check_output "a value may hold '='" '  t70\.a +[0-9]+ +[0-9]+ +[0-9]+  "x=y"$' \
	tlctl run --set t70.a=x=y -- tlctl table show self --values
check_output "a value may be empty" '  t70\.a +[0-9]+ +[0-9]+ +[0-9]+  ""$' \
	tlctl run --set t70.a= -- tlctl table show self --values
check_output "the values survive a second exec, through run again" \
	'  t70\.a +[0-9]+ +[0-9]+ +[0-9]+  "1"$' \
	tlctl run --set t70.a=1 -- tlctl run --set t70.b=2 -- \
	tlctl table show self --values
check_output "without --, the command starts at the first non-option" \
	'  t70\.a ' tlctl run --set t70.a=1 tlctl table show self
check_output "run without values just runs the command" '^hello$' \
	tlctl run -- echo hello
check_fails "run exits with the command's status" 3 \
	tlctl run --set t70.a=1 -- sh -c 'exit 3'

# Inheritance: the command's children get copies of inheritable values
# only (busybox sh forks for a command that is not its last).
check_output "a child gets the inheritable value" \
	'  t70\.inh +[0-9]+ +[0-9]+ +[0-9]+  "i"$' \
	tlctl run --set t70.inh=i --set t70.a=plain -- \
	sh -c 'tlctl table show self --values; true'
check_output "... and not the others" '^0$' \
	tlctl run --set t70.inh=i --set t70.a=plain -- \
	sh -c 'tlctl table show self --values | grep -c t70\.a; true'
check_output "a child of a task with no inheritable value has no table" \
	'^pid [0-9]+ \(tlctl\): no table$' \
	tlctl run --set t70.a=plain -- sh -c 'tlctl table show self; true'

# A child's table is sized for what it inherits, not copied at its
# parent's length: 21 values grow the parent's to 64 slots, the one
# inheritable value fits the child's 16.
t70_plain=
for t70_i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	tlctl key create t70.p$t70_i >/dev/null
	t70_plain="$t70_plain --set t70.p$t70_i=v"
done
check_output "a parent with 21 values has 64 slots" \
	'^pid [0-9]+ \(sh\): 64 slots$' \
	tlctl run $t70_plain --set t70.inh=i -- sh -c 'tlctl table show $$; true'
check_output "... its child, inheriting one value, has 16" \
	'^pid [0-9]+ \(tlctl\): 16 slots$' \
	tlctl run $t70_plain --set t70.inh=i -- sh -c 'tlctl table show self; true'
for t70_i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	tlctl key delete t70.p$t70_i >/dev/null
done

# Failures.
check_fails "run with a key that does not exist fails" 1 \
	tlctl run --set t70.nokey=1 -- true
check_output "... suggesting key create" \
	"^Error: no key named 't70\\.nokey'; create it with 'tlctl key create t70\\.nokey'\$" \
	sh -c 'tlctl run --set t70.nokey=1 -- echo ran; true'
check_output "... and the command does not run" '^0$' \
	sh -c 'tlctl run --set t70.nokey=1 -- echo ran 2>/dev/null | grep -c ran; true'
check_output "-j run: the error as JSON" \
	'^\{"error":"no key named .t70\.nokey.; create it with .tlctl key create t70\.nokey."\}$' \
	sh -c 'tlctl -j run --set t70.nokey=1 -- true; true'
big=$(head -c 4097 /dev/zero | tr '\0' x)
check_fails "run with a value over max_value_size fails (E2BIG)" 1 \
	tlctl run --set "t70.a=$big" -- true
check_fails "run without a command is a usage error" 2 \
	tlctl run --set t70.a=1
check_fails "run --set without '=' is a usage error" 2 \
	tlctl run --set t70.a -- true
check_fails "run --set with no name is a usage error" 2 \
	tlctl run --set =1 -- true
check_fails "run with an unknown option is a usage error" 2 \
	tlctl run --frob -- true
check_fails "run of a command that does not exist: exit 127" 127 \
	tlctl run -- /nonexistent
check_fails "run of a file that cannot be run: exit 126" 126 \
	tlctl run -- /proc/version
check_output "run help" '^Usage: tlctl run \[--set NAME=VALUE\]\.\.\. \[--\] CMD \[ARGS\]\.\.\.$' \
	tlctl run help

tlctl key delete t70.a >/dev/null
tlctl key delete t70.b >/dev/null
tlctl key delete t70.inh >/dev/null
check_output "no keys, tables or stale entries are left behind" \
	'^no stale entries, no dead keys with entries left$' tlctl leaks
check_output "... and no key at all" '^ +ID +NAME +HASH +UID +MODE +ENTRIES +FLAGS$' \
	sh -c 'tlctl key list | tail -n 1'
