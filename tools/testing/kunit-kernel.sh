#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) the KUnit kernel tasklocal is tested under, and print the
# path of its build directory: the "debug" test kernel (kunit/kernel.config
# on Debian's linux-source-6.12), see kernel.sh.
#
# usage: kunit-kernel.sh [--print-dir]

exec "$(dirname "$0")/kernel.sh" "$@" debug
