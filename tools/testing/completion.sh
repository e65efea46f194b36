#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tlctl's bash completion (tools/tlctl/tlctl.bash-completion), loaded as
# bash-completion loads it, asked what it offers after each command line
# below; the key names and pids come from a fake tlctl on PATH that
# answers as the real one lists them. One TAP line per case.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

cat >"$fake/tlctl" <<'FAKE'
#!/bin/sh
case "$*" in
"key list")
	printf '    ID  NAME         HASH           UID  MODE  ENTRIES  FLAGS\n'
	printf '     1  trace_id     0x00000000       0   sr-        1  -\n'
	printf '     2  (anonymous)  0x61c88647       0   sr-        0  fd\n'
	printf '     3  tenant       0xc3910c8e       0   sr-        0  inheritable\n'
	printf '     4  gone         0x255992d5       0   sr-        2  dead\n' ;;
"table list")
	printf '    PID  COMM  LEN  SIZE  STALE  BYTES\n'
	printf '    312  server  16  1  0  3\n'
	printf '    977  worker  16  2  1  9\n' ;;
esac
FAKE
chmod +x "$fake/tlctl"
PATH=$fake:$PATH

# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1091
. "$top/tools/tlctl/tlctl.bash-completion"

n=0 failed=0
# complete LINE WANT: the words offered for the last word of LINE (empty
# if LINE ends with a space), sorted, are WANT
complete_is() {
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_tlctl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n completion of '$line': $want"
	else
		failed=$((failed + 1))
		echo "not ok $n completion of '$line': got '$got', want '$want'"
	fi
}

complete_is "tlctl " "batch help key leaks run stats table version"
complete_is "tlctl k" "key"
complete_is "tlctl --v" "--version"
complete_is "tlctl key " "create delete help list show"
complete_is "tlctl key delete " "tenant trace_id"
complete_is "tlctl key delete t" "tenant trace_id"
complete_is "tlctl key show " "tenant trace_id"
complete_is "tlctl -j key delete tr" "trace_id"
complete_is "tlctl key create x --i" "--inheritable --initial"
complete_is "tlctl key create x --mode " "delete none read set set,read set,read,delete"
complete_is "tlctl table " "clear help list show"
complete_is "tlctl table show " "312 977 self"
complete_is "tlctl table show 312 --" "--values"
complete_is "tlctl table clear 9" "977"
complete_is "tlctl table clear 977 --key " "tenant trace_id"
complete_is "tlctl run --set " "tenant= trace_id="
complete_is "tlctl leaks --" "--reclaim"
complete_is "tlctl -o 0 key " "create delete help list show"
echo "1..$n"
[ "$failed" = 0 ]
