# SPDX-License-Identifier: GPL-2.0-only
#
# The scripted session 'make demo' runs inside the VM: keys, a table
# drawn slot by slot, a key dying (its slot goes stale), the stale entry
# expunged by the next get that meets it, inheritance across exec/fork.

dmesg -n 1	# keep kernel messages off the console during the session
run() {
	echo
	echo "\$ $*"
	"$@" 2>&1
}

run insmod /lib/tasklocal.ko
run tlctl version

# Named keys live in the module until deleted; values live in tasks.
run tlctl key create trace_id --inheritable
run tlctl key create tenant --initial unknown
run tlctl key list

# One task (the batch) holds a table. 17 keys: hashes step by 0x61c88647,
# so 16 keys spread over the 16 slots and the 17th shares a home slot
# with the first. Then a key dies and a get walks past its stale slot.
cat >/tmp/scenario <<'EOS'
key create k0 --fd
key create k1 --fd
key create k2 --fd
key create k3 --fd
key create k4 --fd
key create k5 --fd
key create k6 --fd
key create k7 --fd
key create k8 --fd
key create k9 --fd
key create k10 --fd
key create k11 --fd
key create k12 --fd
key create k13 --fd
key create k14 --fd
key create k15 --fd
key create k16 --fd
set k0 zero
set k16 sixteen
set k3 three
table show self
# k0 dies: its entry is now stale (the value is still held)
key close k0
table show self
# k16's home is k0's slot: the get probes through the stale entry and
# expunges it; k16 moves back to its home slot
get k16
table show self
EOS
run cat /tmp/scenario
run tlctl batch /tmp/scenario

# Values set by 'tlctl run' stay with the task across exec: the command
# it runs holds them.
run tlctl run --set trace_id=req-42 --set tenant=acme -- \
	tlctl table show self --values
# A child created by fork gets the inheritable ones (trace_id) only; its
# get of tenant stores and returns that key's initial value.
cat >/tmp/child <<'EOS'
get tenant
table show self
EOS
run tlctl run --set trace_id=req-42 --set tenant=acme -- \
	sh -c 'tlctl batch /tmp/child; true'
run tlctl leaks
run tlctl stats
run rmmod tasklocal
