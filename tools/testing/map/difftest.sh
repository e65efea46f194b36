#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Differential test of the per-task table (module/map.c) against OpenJDK's
# own java.lang.ThreadLocal$ThreadLocalMap.
#
# Builds map-replay (replay.c and map.c, with ASan and UBSan) and
# MapOracle.java, then feeds both the hand-written scripts in scenarios/
# and SCENARIOS random scenarios from gen.py. Their outputs, the whole
# table after every operation, must be byte-identical. On the first
# difference the scenario it is in is printed, with both outputs.
#
# usage: difftest.sh [SCENARIOS [SEED]]	(default 2000 scenarios, seed 1)
#
# Environment: OUT (build directory; default a temporary one), CC, JAVA,
# JAVAC (default: from JAVA_HOME if set, else from PATH).

set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
count=${1:-2000}
seed=${2:-1}
cc=${CC:-gcc}
if [ -n "${JAVA_HOME:-}" ]; then
	java=${JAVA:-$JAVA_HOME/bin/java}
	javac=${JAVAC:-$JAVA_HOME/bin/javac}
else
	java=${JAVA:-java}
	javac=${JAVAC:-javac}
fi

die() { echo "difftest: error: $*" >&2; exit 1; }

[[ $count =~ ^[0-9]+$ ]] || die "SCENARIOS must be a number, not '$count'"
[[ $seed =~ ^[0-9]+$ ]] || die "SEED must be a number, not '$seed'"

command -v "$cc" >/dev/null || die "C compiler '$cc' not found"
command -v python3 >/dev/null || die "python3 not found"
command -v "$java" >/dev/null && "$java" -version >/dev/null 2>&1 ||
	die "no working 'java' ($java): the test needs OpenJDK 17 or later" \
	    "(e.g. apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)"
command -v "$javac" >/dev/null ||
	die "no 'javac' ($javac): the test needs a JDK, not just a JRE"
jversion=$("$java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')

if [ -n "${OUT:-}" ]; then
	build=$OUT
	mkdir -p "$build"
else
	build=$(mktemp -d)
	trap 'rm -rf "$build"' EXIT
fi

"$cc" -Wall -Wextra -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I "$top/tools/testing/shim" \
	-o "$build/map-replay" "$here/replay.c" "$top/module/map.c" \
	"$top/tools/testing/shim/map-env.c"
"$javac" -d "$build" "$here/MapOracle.java"

# Run one script through both; leave NAME.java.out and NAME.c.out.
run_both() {
	local script=$1 name=$2 what=$3

	if ! "$java" --add-opens java.base/java.lang=ALL-UNNAMED \
		-XX:+UseSerialGC -cp "$build" MapOracle <"$script" \
		>"$build/$name.java.out" 2>"$build/$name.java.err"; then
		echo "difftest: MapOracle failed on $what:" >&2
		tail -n 20 "$build/$name.java.err" >&2
		exit 1
	fi
	if ! "$build/map-replay" <"$script" >"$build/$name.c.out" \
		2>"$build/$name.c.err"; then
		echo "difftest: map-replay failed on $what:" >&2
		tail -n 40 "$build/$name.c.err" >&2
		exit 1
	fi
}

# Explain the first difference between the two outputs of NAME: the
# scenario (between "reset" lines) holding it, script and both outputs.
report() {
	local script=$1 name=$2 what=$3
	local jout=$build/$name.java.out cout=$build/$name.c.out
	local ops=$build/$name.ops first jlines clines start end nr

	# Output line N is the Nth operation: drop comments and blank lines.
	grep -Ev '^(#|[[:space:]]*$)' "$script" >"$ops" || true
	first=$({ cmp "$jout" "$cout" 2>/dev/null || true; } |
		sed -n 's/.* differ: .*, line \([0-9]*\)$/\1/p')
	if [ -z "$first" ]; then
		# one output is a prefix of the other
		jlines=$(wc -l <"$jout")
		clines=$(wc -l <"$cout")
		first=$(( (jlines < clines ? jlines : clines) + 1 ))
	fi
	read -r start end nr < <(awk -v l="$first" '
		$1 == "reset" && NR < l { s = NR + 1; n++ }
		$1 == "reset" && NR >= l && !e { e = NR > l ? NR - 1 : NR }
		END { print (s ? s : 1), (e ? e : NR), n + 1 }' "$ops")

	echo "difftest: MISMATCH in $what, scenario $nr (operations" \
	     "$start-$end), first at operation $first"
	echo "--- script"
	sed -n "${start},${end}p" "$ops"
	echo "--- OpenJDK ThreadLocalMap (MapOracle)"
	sed -n "${start},${end}p" "$jout"
	echo "--- module/map.c (map-replay)"
	sed -n "${start},${end}p" "$cout"
	echo "--- first difference, operation $first"
	echo "java: $(sed -n "${first}p" "$jout")"
	echo "c:    $(sed -n "${first}p" "$cout")"
}

ops=0
hand=0
for script in "$here"/scenarios/*.txt; do
	name=hand-$(basename "$script" .txt)
	run_both "$script" "$name" "scenarios/$(basename "$script")"
	if ! cmp -s "$build/$name.java.out" "$build/$name.c.out"; then
		report "$script" "$name" "scenarios/$(basename "$script")"
		exit 1
	fi
	ops=$((ops + $(wc -l <"$build/$name.c.out")))
	hand=$((hand + $(grep -c '^reset' "$script" || true) + 1))
done

python3 "$here/gen.py" --seed "$seed" --scenarios "$count" >"$build/gen.txt"
run_both "$build/gen.txt" gen "generated scenarios (seed $seed)"
if ! cmp -s "$build/gen.java.out" "$build/gen.c.out"; then
	report "$build/gen.txt" gen "generated scenarios (seed $seed)"
	exit 1
fi
ops=$((ops + $(wc -l <"$build/gen.c.out")))

echo "difftest: $((count + hand)) scenarios ($hand hand-written)," \
     "$ops operations, all identical to OpenJDK $jversion ThreadLocalMap"
