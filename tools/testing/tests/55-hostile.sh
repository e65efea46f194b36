# SPDX-License-Identifier: GPL-2.0-only
# Attacks on the device from hostile: forged pidfds, reused ids, stale
# entries, refused calls, limits, execve, races between a key's deletion
# and its users, read-only user memory, bad names. Each of its cases is
# one TAP line here. The forged pidfds come last, as root and as uid
# 1000: a kernel that trusts a file's name may crash on them. Keys start
# with "t55.".

if command -v hostile >/dev/null 2>&1; then
	tap_program hostile hostile
	tap_program "hostile pidfd" hostile pidfd
	# a kernel without tmpfs leaves /tmp as the initramfs made it
	chmod 1777 /tmp
	tap_program "hostile pidfd uid 1000" runas 1000 hostile pidfd
else
	tap_not_ok "hostile is in the VM (build/testing/hostile, see tools/testing/Makefile)"
fi
check "every t55 key is gone again" \
	sh -c '! tlctl key list | grep -q " t55\."'
