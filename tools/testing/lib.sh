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

# check_fails_output DESCRIPTION STATUS PATTERN CMD...: CMD fails with
# exit status STATUS, its output matching the extended regular expression
# PATTERN
check_fails_output() {
	desc=$1
	want=$2
	pattern=$3
	shift 3
	"$@" >/tmp/check.out 2>&1
	got=$?
	if [ "$got" = "$want" ] && grep -Eq -- "$pattern" /tmp/check.out; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc (status $got, want $want and '$pattern')"
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

# tap_program [-c] [-s] [-t] LABEL CMD...: run CMD, a program that prints
# TAP, re-emitting each of its lines as it comes (streamed through a FIFO,
# so that a crash still shows the lines before): its "ok" and "not ok"
# lines as checks of this script, "LABEL: " before their description; a
# "Bail out!" line as a "not ok"; any other line, its plan "1..N" too, as
# a "# " comment. Then one check of its own, "LABEL: ran to its end": ok
# if CMD printed a plan line.
#   -c  CMD's "# " lines are passed on as they are, not commented again
#   -s  CMD must also exit 0: a plan line and another exit status is "not
#       ok LABEL: ran to its end with violations"
#   -t  before that check, "# LABEL: Ns" says how long CMD ran
tap_program() {
	tp_comments=0
	tp_status=0
	tp_time=0
	while :; do
		case $1 in
		-c) tp_comments=1 ;;
		-s) tp_status=1 ;;
		-t) tp_time=1 ;;
		*) break ;;
		esac
		shift
	done
	tp_label=$1
	shift
	tp_fifo=/tmp/tap_program.fifo
	tp_plan=/tmp/tap_program.plan
	rm -f $tp_fifo $tp_plan
	mkfifo $tp_fifo
	tp_start=$(date +%s)
	"$@" >$tp_fifo 2>&1 &
	tp_pid=$!
	while IFS= read -r tp_line; do
		case "$tp_line" in
		"not ok "*) tap_not_ok "$tp_label: ${tp_line#not ok * - }" ;;
		"ok "*) tap_ok "$tp_label: ${tp_line#ok * - }" ;;
		"1.."*) echo "$tp_line" >$tp_plan; echo "# $tp_line" ;;
		"Bail out!"*) tap_not_ok "$tp_label: $tp_line" ;;
		"# "*)
			if [ $tp_comments = 1 ]; then
				echo "$tp_line"
			else
				echo "# $tp_line"
			fi
			;;
		*) echo "# $tp_line" ;;
		esac
	done <$tp_fifo
	wait $tp_pid
	tp_exit=$?
	rm -f $tp_fifo
	if [ $tp_time = 1 ]; then
		echo "# $tp_label: $(( $(date +%s) - tp_start ))s"
	fi
	if [ -s $tp_plan ] && { [ $tp_status = 0 ] || [ $tp_exit = 0 ]; }; then
		tap_ok "$tp_label: ran to its end (status $tp_exit)"
	elif [ -s $tp_plan ]; then
		tap_not_ok "$tp_label: ran to its end with violations (status $tp_exit)"
	else
		tap_not_ok "$tp_label: ran to its end (status $tp_exit, no plan line)"
	fi
	rm -f $tp_plan
}
