# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the integration tests that run inside the VM (busybox sh).
# Each check prints one TAP line, "ok N description" or "not ok N ...",
# with the command's output as "# " comments on failure.

tap_n=0

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n $*"; }

tap_not_ok() { tap_n=$((tap_n + 1)); echo "not ok $tap_n $*"; }

# check DESCRIPTION CMD...: CMD succeeds
check() {
	desc=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc (status $?)"
		sed 's/^/# /' /tmp/check.out
	fi
}

# check_fails DESCRIPTION STATUS CMD...: CMD fails with exit status STATUS
check_fails() {
	desc=$1
	want=$2
	shift 2
	"$@" >/tmp/check.out 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc (status $got, want $want)"
		sed 's/^/# /' /tmp/check.out
	fi
}

# check_output DESCRIPTION PATTERN CMD...: CMD succeeds, output matches
# the extended regular expression PATTERN
check_output() {
	desc=$1
	pattern=$2
	shift 2
	if "$@" >/tmp/check.out 2>&1 && grep -Eq -- "$pattern" /tmp/check.out
	then
		tap_ok "$desc"
	else
		tap_not_ok "$desc (no match for '$pattern')"
		sed 's/^/# /' /tmp/check.out
	fi
}
