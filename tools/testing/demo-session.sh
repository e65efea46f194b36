# SPDX-License-Identifier: GPL-2.0-only
#
# The scripted session 'make demo' runs inside the VM: keys, a table
# drawn slot by slot, a key dying (its slot goes stale), the stale entry
# expunged by the next get that meets it, inheritance across exec/fork,
# and the pooled-thread leak: idle workers pinning a dead key's values,
# cleared from outside, then swept by the module.

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
# Eight more values make ten: two thirds of 16 slots. The table doubles
# to 32, and every entry moves to hash & 31 (resizes 1).
set k1 one
set k2 two
set k4 four
set k5 five
set k6 six
set k7 seven
set k8 eight
set k9 nine
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
# The pooled-thread leak. Four idle workers hold a value under 'job';
# the key is deleted. With the sweeper off (sweep_delay_ms=0: OpenJDK's
# behaviour) nothing frees those values while the workers idle.
echo 0 >/sys/module/tasklocal/parameters/sweep_delay_ms
run tlctl key create job
workers=
for i in 1 2 3 4; do
	tlctl run --set job=payload-$i -- sleep 600 &
	workers="$workers $!"
done
sleep 1
run tlctl key delete job
sleep 1
run tlctl leaks
# Anyone with ptrace's rights over the workers can clear them from outside:
run tlctl leaks --reclaim

# With the sweeper on (the default, 1000 ms), a key's death is enough: a
# second later its values are gone from every table, and the workers
# never ran.
echo 1000 >/sys/module/tasklocal/parameters/sweep_delay_ms
run tlctl key create job
for i in 5 6 7 8; do
	tlctl run --set job=payload-$i -- sleep 600 &
	workers="$workers $!"
done
sleep 1
run tlctl leaks
t0=$(cut -d' ' -f1 /proc/uptime)
run tlctl key delete job
n=0
until tlctl leaks | grep -q '^no stale entries' || [ $n -ge 200 ]; do
	usleep 50000
	n=$((n + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
run tlctl leaks
echo "# swept $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s after the delete"
run tlctl stats
cat <<'EOT'
# tables: tasks that have a table now (created and freed since the load)
# entries: entries in all tables, stale: those whose key is dead
# value bytes: the userspace values in memory (one shared by a parent
#   and its children counts once; keys' initial values count)
# keys: live keys, and dead ones whose entries are not all gone
# expunged: stale entries a table removed as its task used it
# resizes: slot arrays doubled; swept: stale entries the sweeper removed
# uninherited: values a child did not get because child() gave none
EOT
kill $workers 2>/dev/null
wait
run rmmod tasklocal
