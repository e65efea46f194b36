# SPDX-License-Identifier: GPL-2.0-only
# The version/features query.
# tests: tool

check_output "tlctl version reports the API" '^tasklocal API 0\.[0-9]+' \
	tlctl version
check_output "tlctl -j version is JSON with limits" \
	'^\{"api_major":0,"api_minor":[0-9]+,.*"max_entries":4096' \
	tlctl -j version
check_output "tlctl ver: unique prefixes are accepted" '^tasklocal API' \
	tlctl ver
t00_mod=$(cat /sys/module/tasklocal/version 2>/dev/null)
check_output "the module has a version (MODULE_VERSION): ${t00_mod:-none}" \
	'^[0-9]+\.[0-9]+\.[0-9]+$' cat /sys/module/tasklocal/version
check_output "tlctl -V: the loaded module's version, the tool's, and its API" \
	"^module ${t00_mod:-none}, API 0\\.[0-9]+\$" tlctl -V
check_output "tlctl --version: the tool and the library are of the module's version" \
	"^tlctl ${t00_mod:-none}, libtasklocal ${t00_mod:-none}\$" tlctl --version
check_output "tlctl -j --version" \
	"^\\{\"tlctl\":\"[0-9.]+\",\"library\":\"[0-9.]+\",\"module\":\\{\"version\":\"${t00_mod:-none}\",\"api_major\":0,\"api_minor\":[0-9]+\\}\\}\$" \
	tlctl -j --version
check_fails "an unknown object is a usage error (exit 2)" 2 tlctl bogus
check_fails "version takes no arguments (exit 2)" 2 tlctl version extra
