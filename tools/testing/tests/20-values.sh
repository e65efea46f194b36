# SPDX-License-Identifier: GPL-2.0-only
# Values: set, get, remove, clear in a task's own table, driven through
# tlctl batch (one task for the whole script). Keys start with "t20.";
# most are fd-owned and die with their batch.
# tests: tool

# t20_file LINE...: write the lines to /tmp/t20.batch
t20_file() {
	printf '%s\n' "$@" >/tmp/t20.batch
}

# t20_batch LINE...: run the lines as one batch script
t20_batch() {
	t20_file "$@"
	tlctl batch /tmp/t20.batch
}

check_output "set then get returns the value" '^t20\.a = "hello"$' \
	t20_batch "key create t20.a --fd" "set t20.a hello" "get t20.a"
check_output "a value may hold blanks, quoted" '^t20\.a = "hello, world"$' \
	t20_batch "key create t20.a --fd" 'set t20.a "hello, world"' "get t20.a"
check_output "a value may be empty" '^t20\.a = ""$' \
	t20_batch "key create t20.a --fd" 'set t20.a ""' "get t20.a"
check_output "escapes in values are kept and shown escaped" \
	'^t20\.a = "tab\\there\\x01\\n"$' \
	t20_batch "key create t20.a --fd" 'set t20.a "tab\there\x01\n"' \
	"get t20.a"
check_output "set replaces a value" '^t20\.a = "two"$' \
	t20_batch "key create t20.a --fd" "set t20.a one" "set t20.a two" \
	"get t20.a"
check_output "get of a key with no value in this task says so" \
	'^t20\.a: no value$' \
	t20_batch "key create t20.a --fd" "get t20.a"
check_output "get stores a key's initial value on a miss, and says so" \
	'^t20\.i = "init" \(initial value, now stored\)$' \
	t20_batch "key create t20.i --fd --initial init" "get t20.i"
t20_file "key create t20.i --fd --initial init" "get t20.i" "get t20.i"
check_output "a second get finds the stored value, no longer initial" \
	'^t20\.i = "init"$' sh -c 'tlctl batch /tmp/t20.batch | tail -n 1'
check_output "a set value wins over the initial value" '^t20\.i = "mine"$' \
	t20_batch "key create t20.i --fd --initial init" "set t20.i mine" \
	"get t20.i"
check_output "remove deletes the value" '^t20\.a: no value$' \
	t20_batch "key create t20.a --fd" "set t20.a x" "remove t20.a" \
	"get t20.a"
check_output "after remove, get stores the initial value again" \
	'^t20\.i = "init" \(initial value, now stored\)$' \
	t20_batch "key create t20.i --fd --initial init" "set t20.i x" \
	"remove t20.i" "get t20.i"
check_output "clear empties the table and counts what it removed" \
	'^removed 2 entries$' \
	t20_batch "key create t20.a --fd" "key create t20.b --fd" \
	"set t20.a 1" "set t20.b 2" "clear"
check_output "after clear, get finds nothing" '^t20\.b: no value$' \
	t20_batch "key create t20.a --fd" "key create t20.b --fd" \
	"set t20.a 1" "set t20.b 2" "clear" "get t20.b"
check_output "clear of an empty table removes nothing" '^removed 0 entries$' \
	t20_batch "clear"
check_output "set --create makes a new value" '^t20\.a = "new"$' \
	t20_batch "key create t20.a --fd" "set t20.a new --create" "get t20.a"
check_output "set --replace replaces a value" '^t20\.a = "newer"$' \
	t20_batch "key create t20.a --fd" "set t20.a new" \
	"set t20.a newer --replace" "get t20.a"

# Tables belong to tasks: a named key's value set in one batch (task) is
# not seen by the next one.
tlctl key create t20.shared >/dev/null
check_output "a value set in one task..." '^t20\.shared = "1"$' \
	t20_batch "set t20.shared 1" "get t20.shared"
check_output "... is not in another task's table" '^t20\.shared: no value$' \
	t20_batch "get t20.shared"
tlctl key delete t20.shared >/dev/null

t20_file "key create t20.a --fd" 'set t20.a "v 1"' "get t20.a"
check_output "-j batch get: the key an object, the value a string and hex" \
	'"command":"get t20\.a","key":\{"id":[0-9]+,"name":"t20\.a"\},"value":"v 1","value_hex":"762031","initial":false\}' \
	tlctl -j batch /tmp/t20.batch
t20_file "key create t20.a --fd" 'set t20.a "\x00\xffA"' "get t20.a"
check_output "-j batch get: binary values in the same two members" \
	'"value":"\\u0000\\udcffA","value_hex":"00ff41","initial":false\}' \
	tlctl -j batch /tmp/t20.batch
t20_file "key create t20.a --fd" 'set t20.a "caf\xc3\xa9"' "get t20.a"
check_output "-j batch get: UTF-8 text stays text" \
	'"value":"café","value_hex":"636166c3a9"' tlctl -j batch /tmp/t20.batch
t20_file "key create t20.a --fd" "get t20.a"
check_output "-j batch get of no value: null" \
	'"value":null,"value_hex":null,"initial":false\}' \
	tlctl -j batch /tmp/t20.batch
t20_file "key create t20.a --fd" "set t20.a 1" "clear"
check_output "-j batch clear: the count" '"command":"clear","removed":1\}' \
	tlctl -j batch /tmp/t20.batch
