# SPDX-License-Identifier: GPL-2.0-only
# Load/unload cycles: 20 times, unload the module while tasks hold
# tables (values inherited by children, stale entries of a deleted key), then load it again. Nothing may be leaked
# or used after free (the debug kernels' KASAN and kmemleak watch), every
# holder must outlive the unload, and each load starts from zero. Keys
# start with "t90.". Leaves the module loaded, with no keys.

t90_ok=0
t90_bad=
t90_cycle() {
	printf 'key create t90.inh --inheritable\nkey create t90.plain\nkey create t90.gone\n' |
		tlctl batch - >/dev/null || return 1
	# a holder and its two children, which inherit: three tables
	tlctl run --set t90.inh=held --set t90.plain=p --set t90.gone=g -- \
		sh -c 'sleep 600 & sleep 600 & wait' &
	t90_w=0
	until [ "$(tlctl -j table list 2>/dev/null | grep -o '"pid"' | wc -l)" -ge 3 ]; do
		t90_w=$((t90_w + 1))
		[ $t90_w -lt 250 ] || return 1
		usleep 20000
	done
	tlctl key delete t90.gone >/dev/null || return 1
	rmmod tasklocal || return 1
	[ ! -e /dev/tasklocal ] || return 1
	kill $(jobs -p) 2>/dev/null
	pkill sleep 2>/dev/null
	wait
	insmod /lib/tasklocal.ko || return 1
	# a new load starts from nothing: no table, no key
	tlctl -j stats | grep -q '^{"tables":0,.*"keys":0,'
}
t90_i=0
while [ $t90_i -lt 20 ]; do
	t90_i=$((t90_i + 1))
	if t90_cycle >/tmp/t90.out 2>&1; then
		t90_ok=$((t90_ok + 1))
	else
		t90_bad="$t90_bad $t90_i"
		sed 's/^/# /' /tmp/t90.out
		lsmod | grep -q '^tasklocal ' || insmod /lib/tasklocal.ko
		kill $(jobs -p) 2>/dev/null
		pkill sleep 2>/dev/null
		wait
	fi
done
check "20 unloads with tasks holding tables, each reload from zero (failed:${t90_bad:- none})" \
	test "$t90_ok" = 20
