# SPDX-License-Identifier: GPL-2.0-only
# The version/features query.

check_output "tlctl version reports the API" '^tasklocal API 0\.[0-9]+' \
	tlctl version
check_output "tlctl -j version is JSON with limits" \
	'^\{"api_major":0,"api_minor":[0-9]+,.*"max_entries":4096' \
	tlctl -j version
check_output "tlctl ver: unique prefixes are accepted" '^tasklocal API' \
	tlctl ver
check_fails "an unknown object is a usage error (exit 2)" 2 tlctl bogus
check_fails "version takes no arguments (exit 2)" 2 tlctl version extra
