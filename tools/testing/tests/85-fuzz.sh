# SPDX-License-Identifier: GPL-2.0-only
# Seeded random ioctls from fuzz: every command, right, larger and smaller
# sizes, wrong directions and numbers, edge values, bad pointers, forged
# pidfds, forks and execs between the calls; every result must be an
# errno the uapi header documents for its command. Each fuzz process is
# one TAP line here. As root, then as uid 1000. Keys start with "t85.".
#
# FUZZ_CALLS sets the calls of both runs (default 100000): four fifths
# for the root run, one for the uid 1000 run. Measured: ~5 s for both on
# the stock kernel, ~55 s on the 6.12 debug kernel (KASAN, lockdep,
# kmemleak), ~85 s on the 6.1 one.

t85_all=${FUZZ_CALLS:-100000}
t85_user_calls=$((t85_all / 5))
t85_calls=$((t85_all - t85_user_calls))

if command -v fuzz >/dev/null 2>&1; then
	tap_program -c -t "fuzz seed 1" fuzz -s 1 -n $t85_calls -p 4
	# a kernel without tmpfs leaves /tmp as the initramfs made it
	chmod 1777 /tmp
	tap_program -c -t "fuzz seed 2 uid 1000" runas 1000 fuzz -s 2 -n $t85_user_calls -p 2
else
	tap_not_ok "fuzz is in the VM (build/testing/fuzz, see tools/testing/Makefile)"
fi
check "every t85 key is gone again" \
	sh -c '! tlctl key list | grep -q " t85\."'
