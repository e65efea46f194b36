# SPDX-License-Identifier: GPL-2.0-only
# Every failure an ioctl documents that tlctl can reach, with the module's
# limits lowered through its parameters where needed (and restored); then
# the raw ABI cases tlctl cannot reach, from abi-test. Keys start with
# "t50.".

t50_param=/sys/module/tasklocal/parameters

# t50_batch LINE...: run the lines as one batch script
t50_batch() {
	printf '%s\n' "$@" >/tmp/t50.batch
	tlctl batch /tmp/t50.batch
}

# KEY_CREATE: EDQUOT and ENOSPC (EINVAL, EEXIST, E2BIG: 10-keys.sh).
echo 0 >$t50_param/max_user_keys
check_fails "key create past max_user_keys fails (EDQUOT)" 1 \
	tlctl key create t50.a
check_output "... saying so" \
	"cannot create key 't50\\.a': this user already owns max_user_keys keys" \
	sh -c 'tlctl key create t50.a; true'
echo 1024 >$t50_param/max_user_keys
echo 0 >$t50_param/max_keys
check_fails "key create past max_keys fails (ENOSPC)" 1 tlctl key create t50.a
check_output "... saying so" \
	"cannot create key 't50\\.a': the module holds max_keys keys" \
	sh -c 'tlctl key create t50.a; true'
echo 65536 >$t50_param/max_keys
check "nothing was created" sh -c '! tlctl key list | grep -q " t50\.a "'

# KEY_DELETE: EINVAL for an fd-owned key (ENOENT: 10-keys.sh; EPERM:
# 60-security.sh).
check_fails "key delete of an fd-owned key fails (EINVAL)" 1 \
	t50_batch "key create t50.fd --fd" "key delete t50.fd"
check_output "... saying how such a key dies" \
	"key 't50\\.fd' is owned by a file descriptor: it dies when that fd is closed" \
	sh -c 'printf "key create t50.fd --fd\nkey delete t50.fd\n" |
	       tlctl batch; true'

# SET: E2BIG, EEXIST (CREATE), ENOENT (REPLACE), ENOSPC (max_entries).
big=$(head -c 4097 /dev/zero | tr '\0' x)
check_fails "set of a value over max_value_size fails (E2BIG)" 1 \
	t50_batch "key create t50.a --fd" "set t50.a $big"
check_output "... saying so" \
	"line 2: a value of 4097 bytes is over the module's max_value_size" \
	sh -c 'tlctl batch /tmp/t50.batch; true'
check_fails "set --create over a value fails (EEXIST)" 1 \
	t50_batch "key create t50.a --fd" "set t50.a 1" "set t50.a 2 --create"
check_output "... saying so" "line 3: 't50\\.a' already has a value \\(--create\\)" \
	sh -c 'tlctl batch /tmp/t50.batch; true'
printf '%s\n' "key create t50.a --fd" "set t50.a 1" "set t50.a 2 --create" \
	"get t50.a" >/tmp/t50.batch
check_output "... and the value is unchanged" '^t50\.a = "1"$' \
	sh -c 'tlctl batch --keep-going /tmp/t50.batch; true'
check_fails "set --replace with no value fails (ENOENT)" 1 \
	t50_batch "key create t50.a --fd" "set t50.a 2 --replace"
check_output "... saying so" "line 2: 't50\\.a' has no value to replace \\(--replace\\)" \
	sh -c 'tlctl batch /tmp/t50.batch; true'
check_fails "set --create --replace is refused (EINVAL)" 1 \
	t50_batch "key create t50.a --fd" "set t50.a 2 --create --replace"
echo 2 >$t50_param/max_entries
check_fails "set past max_entries fails (ENOSPC)" 1 \
	t50_batch "key create t50.a --fd" "key create t50.b --fd" \
	"key create t50.c --fd" "set t50.a 1" "set t50.b 2" "set t50.c 3"
check_output "... saying so" "line 6: this task's table holds max_entries entries" \
	sh -c 'tlctl batch /tmp/t50.batch; true'
check_output "... and replacing a value is still allowed" '^t50\.b = "3"$' \
	t50_batch "key create t50.a --fd" "key create t50.b --fd" \
	"set t50.a 1" "set t50.b 2" "set t50.b 3" "get t50.b"
echo 4096 >$t50_param/max_entries

# GET: ENODATA (20-values.sh); ERANGE is handled by asking again with
# the size the module reports: a value bigger than tlctl's first buffer.
echo 8192 >$t50_param/max_value_size
v5000=$(head -c 5000 /dev/zero | tr '\0' z)
check_output "get of a value bigger than the first buffer (ERANGE, retry)" \
	"^t50\\.a = \"$v5000\"\$" \
	t50_batch "key create t50.a --fd" "set t50.a $v5000" "get t50.a"
echo 4096 >$t50_param/max_value_size

# REMOVE: ENODATA.
check_fails "remove with no value fails (ENODATA)" 1 \
	t50_batch "key create t50.a --fd" "remove t50.a"
check_output "... saying so" "line 2: 't50\\.a' has no value in this task" \
	sh -c 'tlctl batch /tmp/t50.batch; true'

check_output "the limits are back" \
	'^limits: value 4096 bytes, 4096 entries/task, 1024 keys/user, 65536 keys$' \
	tlctl version

# The raw ABI, past what tlctl lets through: one TAP line per case.
if command -v abi-test >/dev/null 2>&1; then
	abi-test >/tmp/t50.abi 2>&1
	while IFS= read -r t50_line; do
		case "$t50_line" in
		"not ok "*) tap_not_ok "abi: ${t50_line#not ok * - }" ;;
		"ok "*) tap_ok "abi: ${t50_line#ok * - }" ;;
		"#"*) echo "$t50_line" ;;
		"Bail out!"*) tap_not_ok "abi: $t50_line" ;;
		esac
	done </tmp/t50.abi
	check_output "abi-test ran to its end" '^1\.\.[0-9]+$' cat /tmp/t50.abi
	# the same call failing at each of its allocations in turn, where the
	# kernel has fault injection (the debug kernels); by default failslab
	# and fail_page_alloc pass over allocations that may sleep
	for t50_fi in /sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc; do
		[ -w $t50_fi/ignore-gfp-wait ] && echo N >$t50_fi/ignore-gfp-wait
	done
	abi-test fail-nth >/tmp/t50.nth 2>&1
	for t50_fi in /sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc; do
		[ -w $t50_fi/ignore-gfp-wait ] && echo Y >$t50_fi/ignore-gfp-wait
	done
	while IFS= read -r t50_line; do
		case "$t50_line" in
		"not ok "*) tap_not_ok "abi: ${t50_line#not ok * - }" ;;
		"ok "*) tap_ok "abi: ${t50_line#ok * - }" ;;
		"#"*) echo "$t50_line" ;;
		"Bail out!"*) tap_not_ok "abi fail-nth: $t50_line" ;;
		esac
	done </tmp/t50.nth
	check_output "abi-test fail-nth ran to its end" '^1\.\.[0-9]+$' \
		cat /tmp/t50.nth
else
	tap_not_ok "abi-test is in the VM (build/testing/abi-test, see tools/testing/Makefile)"
fi
