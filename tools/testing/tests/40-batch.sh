# SPDX-License-Identifier: GPL-2.0-only
# tlctl batch: its grammar, echo, comments, stopping at the first failure
# (with the line number) or going on, input from a file or stdin, JSON.
# Keys start with "t40.".
# tests: tool

cat >/tmp/t40.batch <<'EOF'
# a scenario, as in the ThreadLocalMap diagrams

key create t40.a --fd
set t40.a 1
   get t40.a
EOF
check_output "each command is echoed before its output" \
	'^> set t40\.a 1$' tlctl batch /tmp/t40.batch
check_output "comments are echoed as they are" \
	'^# a scenario, as in the ThreadLocalMap diagrams$' \
	tlctl batch /tmp/t40.batch
check_output "leading blanks are trimmed" '^> get t40\.a$' \
	tlctl batch /tmp/t40.batch
check_output "blank lines are skipped: three commands" '^3$' \
	sh -c 'tlctl batch /tmp/t40.batch | grep -c "^> "'
check_output "commands from stdin" '^t40\.a = "1"$' \
	sh -c 'tlctl batch </tmp/t40.batch'
check_output "commands from stdin, as '-'" '^t40\.a = "1"$' \
	sh -c 'tlctl batch - </tmp/t40.batch'
check_output "tlctl b: unique prefix" '^t40\.a = "1"$' tlctl b /tmp/t40.batch

cat >/tmp/t40.batch <<'EOF'
key create t40.a --fd
set t40.a 1
get t40.nokey
set t40.a 2
get t40.a
EOF
check_fails "a failing command stops the batch (exit 1)" 1 \
	tlctl batch /tmp/t40.batch
check_output "... naming its line" \
	"^Error: line 3: no key named 't40\\.nokey'; create it with 'tlctl key create t40\\.nokey'\$" \
	sh -c 'tlctl batch /tmp/t40.batch; true'
check_output "... and nothing after it runs" '^> get t40\.nokey$' \
	sh -c 'tlctl batch /tmp/t40.batch 2>/dev/null | tail -n 1'
check_fails "--keep-going runs every command, still exit 1" 1 \
	tlctl batch --keep-going /tmp/t40.batch
check_output "... doing the rest" '^t40\.a = "2"$' \
	sh -c 'tlctl batch --keep-going /tmp/t40.batch 2>/dev/null; true'
check_output "... and counting the failures" '^Error: 1 command failed$' \
	sh -c 'tlctl batch --keep-going /tmp/t40.batch 2>&1 >/dev/null; true'
check_output "-j batch: one object per command, the error in its own" \
	'^\[\{"line":1,"command":"key create t40\.a --fd","key":\{"id":[0-9]+,"name":"t40\.a","hash":[0-9]+,"inheritable":false,"fd":[0-9]+\}\},\{"line":2,"command":"set t40\.a 1"\},\{"line":3,"command":"get t40\.nokey","error":"line 3: no key named .t40\.nokey.; create it with .tlctl key create t40\.nokey."\}\]$' \
	sh -c 'tlctl -j batch /tmp/t40.batch; true'

t40_line() {
	printf '%s\n' "$1" | tlctl batch
}
check_fails "an unknown command fails the batch" 1 t40_line "frob"
check_output "... saying so" "^Error: line 1: unknown command 'frob'" \
	sh -c 'echo frob | tlctl batch; true'
check_fails "unbalanced quotes fail the batch" 1 t40_line 'set a "b'
check_fails "a bad escape fails the batch" 1 t40_line 'set a "\q"'
check_fails "set without a value fails the batch" 1 t40_line "set t40.a"
check_fails "key with no command fails the batch" 1 t40_line "key"
check_fails "table list is not a batch command" 1 t40_line "table list"
check_fails "key close of a key that has no fd fails" 1 \
	t40_line "key close t40.a"
check_fails "a missing batch file fails (exit 1)" 1 \
	tlctl batch /tmp/t40.nofile
check_fails "two batch files are a usage error" 2 \
	tlctl batch /tmp/t40.batch /tmp/t40.batch
check_fails "an unknown batch option is a usage error" 2 \
	tlctl batch --frob /tmp/t40.batch
check_output "batch help gives the grammar" \
	'^  set NAME VALUE \[--create \| --replace\]$' tlctl batch help

# Keys from a batch: named ones outlive it, fd-owned ones die with it.
cat >/tmp/t40.batch <<'EOF'
key create t40.named --inheritable --initial 'one two'
key create t40.owned --fd
key create t40.anon --anonymous
set t40.anon 'secret'
get t40.anon
key list
EOF
check_output "key create in a batch, anonymous" \
	'^key t40\.anon \(anonymous\): id [0-9]+, hash 0x[0-9a-f]{8}, owned by fd [0-9]+$' \
	tlctl batch /tmp/t40.batch
check_output "an anonymous key is used by its batch name" \
	'^t40\.anon = "secret"$' sh -c 'tlctl key delete t40.named >/dev/null
					 tlctl batch /tmp/t40.batch'
check_output "key list in a batch shows anonymous keys as such" \
	'^ +[0-9]+  \(anonymous\) +0x[0-9a-f]{8} +0 +sr- +1  fd$' \
	sh -c 'tlctl key delete t40.named >/dev/null
	       tlctl batch /tmp/t40.batch'
check_output "the named key outlives the batch, with its flags" \
	'  t40\.named +0x[0-9a-f]{8} +0 +sr- +0  inheritable,initial$' tlctl key list
check_output "fd-owned keys died with the batch" '^0$' \
	sh -c 'tlctl key list | grep -c -e " t40\.owned " -e "(anonymous)"; true'

cat >/tmp/t40.batch <<'EOF'
key create t40.k --fd
set t40.k v
key close t40.k
table show
get t40.k
EOF
check_output "key close kills an fd-owned key: its entry is stale" \
	'  t40\.k +[0-9]+ +[0-9]+ +[0-9]+  1 byte  stale$' \
	sh -c 'tlctl batch /tmp/t40.batch; true'
check_output "a closed key's name is no longer known" \
	"^Error: line 5: no key named 't40\\.k'" \
	sh -c 'tlctl batch /tmp/t40.batch; true'

cat >/tmp/t40.batch <<'EOF'
set t40.named x
kill t40.named
table show
EOF
check_output "kill deletes a named key" \
	'^key t40\.named \(id [0-9]+\) deleted: its 1 entry is now stale$' \
	tlctl batch /tmp/t40.batch
check_output "the named key is gone after kill" '^0$' \
	sh -c 'tlctl key list | grep -c " t40\.named "; true'
check_output "key delete in a batch takes an id too" \
	'^key t40\.byid \(id [0-9]+\) deleted$' \
	sh -c 'id=$(tlctl -j key create t40.byid | sed "s/{\"id\":\([0-9]*\).*/\1/")
	       echo "key delete $id" | tlctl batch'
