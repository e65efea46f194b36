# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside a test kernel's VM: the KUnit suites first, where the
# kernel has them (/lib/tasklocal_kunit.ko is there), then the
# integration tests, in one boot. The KUnit results go out between
# KTAP-BEGIN and KTAP-END; the integration tests' TAP lines after.

if [ -e /lib/tasklocal_kunit.ko ]; then
	sh /test/kunit-vm.sh || echo "# the KUnit suites did not run to their end"
fi
. /test/stock-tests.sh
