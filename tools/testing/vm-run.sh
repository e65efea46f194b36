#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-run.sh: run a test script inside a throw-away QEMU virtual machine.
#
# Packs an initramfs (busybox, the files given with --add, the script),
# boots KERNEL under TCG, runs the script as root, powers off and exits
# with the script's status. The run fails, whatever the script said, if
# the kernel log holds a report: BUG, WARNING, oops, KASAN, lockdep, an
# RCU splat, a hung task, or a kmemleak leak (kmemleak, when the kernel
# has it, scans after the script; the test kernels boot leaving nothing
# unreferenced, so everything it finds is the run's).
#
# usage: vm-run.sh -k KERNEL [options] SCRIPT
#   -k, --kernel FILE     kernel image (bzImage / vmlinuz)
#   -a, --add SRC[:DEST]  put SRC into the VM at DEST (default /test/NAME);
#                         may be repeated
#   -t, --timeout SECS    hard limit for the whole run (default 300)
#   -l, --log FILE        where the serial console goes (default: a
#                         temporary file, kept and named on failure)
#   -s, --smp N           virtual CPUs (default 2)
#   -m, --mem MB          memory (default 1024)
#   -e, --append ARGS     more kernel command line
#   -x, --qemu-arg ARG    one more QEMU argument (repeatable), e.g.
#                         "-x -icount -x shift=0" for repeatable timing
#   -q, --quiet           print only the verdict, not the script's output
#   -h, --help            this text
#
# The script runs with /test as its working directory, PATH including
# /test, and proc, sysfs, devtmpfs, debugfs and a tmpfs /tmp mounted.

set -euo pipefail

usage() {
	sed -n '/^# usage:/,/^# The script/p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

die() { echo "Error: $*" >&2; exit 2; }

kernel= timeout=300 log= smp=2 mem=1024 append= quiet=0
adds=()
qemu_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	-k|--kernel)	kernel=$2; shift 2 ;;
	-a|--add)	adds+=("$2"); shift 2 ;;
	-t|--timeout)	timeout=$2; shift 2 ;;
	-l|--log)	log=$2; shift 2 ;;
	-s|--smp)	smp=$2; shift 2 ;;
	-m|--mem)	mem=$2; shift 2 ;;
	-e|--append)	append=$2; shift 2 ;;
	-x|--qemu-arg)	qemu_args+=("$2"); shift 2 ;;
	-q|--quiet)	quiet=1; shift ;;
	-h|--help)	usage 0 ;;
	-*)		echo "Error: unknown option $1" >&2; usage ;;
	*)		break ;;
	esac
done
[ $# = 1 ] || usage
script=$1
[ -n "$kernel" ] || die "no kernel given (-k)"
[ -r "$kernel" ] || die "cannot read kernel $kernel"
[ -r "$script" ] || die "cannot read script $script"
busybox=$(command -v busybox) || die "busybox not found: run 'make deps'"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found: run 'make deps'"

work=$(mktemp -d /tmp/tasklocal-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,test,etc,root}
cp "$busybox" "$root/bin/busybox"
cp "$script" "$root/test/run.sh"
for a in "${adds[@]}"; do
	src=${a%%:*}
	dest=/test/$(basename "$src")
	[ "$src" = "$a" ] || dest=${a#*:}
	[ -e "$src" ] || die "cannot find $src"
	mkdir -p "$root$(dirname "$dest")"
	cp -a "$src" "$root$dest"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nuser:x:1000:\n' >"$root/etc/group"

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmp /tmp
export PATH=/test:/bin:/sbin HOME=/root
leak=/sys/kernel/debug/kmemleak
# kmemleak scans when told to, at the end (the test kernels are built
# without its scans every ten minutes; a kernel given here may not be)
[ -w $leak ] && echo scan=off >$leak
echo "VM-SCRIPT-BEGIN"
cd /test && sh /test/run.sh
rc=$?
echo "VM-SCRIPT-END"
if [ -w $leak ]; then
	# kmemleak reports an object found unreferenced, and unchanged, in
	# two scans, if it is older than 5 s when the second starts: the
	# first scan (seconds, on the debug kernels) is most of the wait.
	# 6.1 reports the slab caches ACPI makes at boot
	# (acpi_os_create_cache(), a false positive later kernels do not
	# have): such a report, with no frame of tasklocal's, is set aside
	# in one line of its own.
	t0=$(cut -d. -f1 /proc/uptime)
	echo scan >$leak
	t1=$(cut -d. -f1 /proc/uptime)
	[ $((t1 - t0)) -ge 6 ] || sleep $((6 - (t1 - t0)))
	echo scan >$leak
	awk 'function flush() {
		if (rec == "")
			return
		if (rec ~ /acpi_os_create_cache/ && rec !~ /\[tasklocal/)
			print "kmemleak: set aside: an ACPI boot-time slab cache"
		else
			print rec
		rec = ""
	}
	/^unreferenced object/ { flush(); rec = $0; next }
	rec != "" { rec = rec "\n" $0; next }
	{ print }
	END { flush() }' $leak
fi
echo "VM-EXIT-STATUS: $rc"
sync
reboot -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

keep_log=0
if [ -z "$log" ]; then
	log=$(mktemp /tmp/tasklocal-vm-log.XXXXXX)
	keep_log=1
fi
: >"$log"

start=$(date +%s)
set +e
timeout -k 5 "$timeout" "$qemu" -machine q35,accel=tcg -cpu max \
	-smp "$smp" -m "$mem" \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 reboot=t panic=-1 oops=panic panic_on_warn=0 $append" \
	-display none -monitor none -serial "file:$log" -no-reboot \
	"${qemu_args[@]}" </dev/null >"$work/qemu.out" 2>&1
qrc=$?
set -e
secs=$(( $(date +%s) - start ))

if [ "$quiet" = 0 ]; then
	sed -n '/^VM-SCRIPT-BEGIN/,/^VM-SCRIPT-END/p' "$log" |
		sed '1d;$d' | tr -d '\r'
fi

# A KCSAN report none of whose stacks has a frame of tasklocal's (the
# module is built instrumented: a race with its code shows its stack) is
# a race of the kernel's own, with no part of ours: said, and set aside.
checked=$work/console.checked
tr -d '\r' <"$log" | awk -v aside="$work/kcsan-aside" '
	/^BUG: KCSAN: / { inrep = 1; rep = $0; next }
	inrep {
		rep = rep "\n" $0
		if ($0 !~ /^====/)
			next
		if (rep ~ /\[tasklocal/)
			print rep
		else
			print rep >aside
		inrep = 0
		next
	}
	{ print }
	END { if (inrep) print rep }' >"$checked"
if [ -s "$work/kcsan-aside" ]; then
	echo "VM: set aside $(grep -c '^BUG: KCSAN' "$work/kcsan-aside") KCSAN report(s) of the kernel's own code (no tasklocal frame):" >&2
	grep -A 3 '^BUG: KCSAN' "$work/kcsan-aside" | sed 's/^/  /' >&2
fi

reports='BUG:|WARNING:|Oops|general protection fault|KASAN:|kernel BUG|'
reports+='possible circular locking|inconsistent lock state|'
reports+='suspicious RCU usage|possible recursive locking|'
reports+='detected stalls|blocked for more than|unreferenced object|'
reports+='Kernel panic|sleeping function called from invalid context|'
reports+='scheduling while atomic|UBSAN:'
status=$(tr -d '\r' <"$log" | sed -n 's/^VM-EXIT-STATUS: //p' | tail -1)
verdict=
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	verdict="timed out after ${timeout}s"
elif [ -z "$status" ]; then
	verdict="the VM stopped before the script finished (qemu status $qrc)"
	verdict+="$(head -c 300 "$work/qemu.out" | sed 's/^/\n  qemu: /')"
elif grep -Eq "$reports" "$checked"; then
	verdict="the kernel reported a problem:"
	verdict+=$'\n'$(grep -E -m 5 "$reports" "$checked" | sed 's/^/  /')
elif [ "$status" != 0 ]; then
	verdict="the script failed with status $status"
fi

if [ -n "$verdict" ]; then
	echo "VM: FAIL ($(basename "$kernel"), ${secs}s): $verdict" >&2
	echo "VM: console log kept in $log" >&2
	exit 1
fi
[ "$keep_log" = 1 ] && rm -f "$log"
echo "VM: ok ($(basename "$kernel"), ${secs}s)" >&2
exit 0
