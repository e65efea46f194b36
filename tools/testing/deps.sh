#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what building and testing tasklocal needs, from Debian's
# packages. Quick when everything is there already.

set -euo pipefail

packages=(
	qemu-system-x86 busybox-static cpio gzip
	linux-image-amd64 linux-headers-amd64 linux-source-6.12 linux-source-6.1
	linux-image-rt-amd64 linux-headers-rt-amd64
	build-essential bc flex bison libelf-dev libssl-dev dwarves kmod
	python3 perl xz-utils sparse bash-completion git
	dkms dh-dkms debhelper lintian fakeroot pkgconf python3-sphinx
	default-jdk-headless
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
	echo "  DEPS    all present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "Error: missing packages: ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi
echo "  DEPS    installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "  DEPS    done"
