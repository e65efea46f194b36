#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the version of the newest Debian stock kernel installed with its
# headers (linux-image-amd64 + linux-headers-amd64), e.g. 6.1.0-56-amd64.

set -euo pipefail

for d in $(ls -1d /lib/modules/*[0-9]-amd64 2>/dev/null | sort -rV); do
	v=$(basename "$d")
	if [ -e "$d/build/Makefile" ] && [ -r "/boot/vmlinuz-$v" ]; then
		echo "$v"
		exit 0
	fi
done
echo "Error: no Debian amd64 kernel with headers: run 'make deps'" >&2
exit 1
