# SPDX-License-Identifier: GPL-2.0-only
# Keys: tlctl key create, delete, list, as root. Key names start with
# "t10." and every key made here is deleted again.
# tests: tool

check_output "key create prints the new key's id and hash" \
	'^key t10\.a: id [0-9]+, hash 0x[0-9a-f]{8}$' \
	tlctl key create t10.a
check_output "key create --inheritable" '^key t10\.inh: id [0-9]+' \
	tlctl key create t10.inh --inheritable
check_output "key create --initial" '^key t10\.init: id [0-9]+' \
	tlctl key create --initial hello t10.init
check_output "key list has a header" '^ +ID +NAME +HASH +UID +MODE +ENTRIES +FLAGS$' \
	tlctl key list
check_output "key list shows a plain key: hash in hex, uid 0, no entries" \
	'^ +[0-9]+  t10\.a +0x[0-9a-f]{8} +0 +sr- +0  -$' tlctl key list
check_output "key list shows the inheritable flag" \
	'^ +[0-9]+  t10\.inh +0x[0-9a-f]{8} +0 +sr- +0  inheritable$' tlctl key list
check_output "key list shows a key with an initial value" \
	'^ +[0-9]+  t10\.init +0x[0-9a-f]{8} +0 +sr- +0  initial$' tlctl key list
check_output "key show is key list" '  t10\.a ' tlctl key show
check_output "unique prefixes: tlctl k l" '  t10\.a ' tlctl k l
check_output "unique prefixes: tlctl ke sh" '  t10\.a ' tlctl ke sh
check_output "-j key list is a JSON array of keys" \
	'^\[.*\{"id":[0-9]+,"name":"t10\.inh","hash":[0-9]+,"uid":0,"mode":"sr-","inheritable":true,"fd_owned":false,"dead":false,"kernel":false,"initial_len":0,"entries":0\}' \
	tlctl -j key list
check_output "-j key list reports the initial value's length" \
	'"name":"t10\.init",[^}]*"initial_len":5' tlctl -j key list
check_output "-p key list is indented JSON" '^    "name": "t10\.a",$' \
	tlctl -p key list
check_output "-j key create is a JSON object" \
	'^\{"id":[0-9]+,"name":"t10\.json","hash":[0-9]+,"inheritable":false,"fd":null\}$' \
	tlctl -j key create t10.json

# Hashes follow ThreadLocal's sequence: each key's is the last one's
# plus 0x61c88647 (as unsigned 32-bit numbers).
h1=$(tlctl -j key create t10.h1 | sed 's/.*"hash":\([0-9]*\).*/\1/')
h2=$(tlctl -j key create t10.h2 | sed 's/.*"hash":\([0-9]*\).*/\1/')
check "consecutive keys' hashes differ by 0x61c88647" \
	test $(( (h1 + 0x61c88647) % 4294967296 )) = "$h2"

id=$(tlctl -j key list | sed 's/.*{"id":\([0-9]*\),"name":"t10\.json".*/\1/')
check_output "key show NAME shows that key alone" \
	'^ +[0-9]+  t10\.init +0x[0-9a-f]{8} +0 +sr- +0  initial$' \
	sh -c 'tlctl key show t10.init | tail -n +2; test $(tlctl key show t10.init | wc -l) = 2'
check_output "key show ID shows the key of that id" \
	"^ +$id  t10\\.json " tlctl key show "$id"
check_output "-j key show NAME: a list of one key, as key list's" \
	'^\[\{"id":[0-9]+,"name":"t10\.a",[^]]*\}\]$' \
	tlctl -j key show t10.a
check_fails_output "key show of no such key fails, on stderr" 1 \
	"no key named 't10\\.nokey'" tlctl key show t10.nokey
check_output "key alone is key show" '  t10\.a ' tlctl key
check_output "key delete by name" '^key t10\.a \(id [0-9]+\) deleted$' \
	tlctl key delete t10.a
check_output "key delete by id" "^key t10\\.json \\(id $id\\) deleted\$" \
	tlctl key delete "$id"
check_output "-j key delete" \
	'^\{"id":[0-9]+,"name":"t10\.h1","stale_entries":0\}$' \
	tlctl -j key delete t10.h1
check "a deleted key is gone from the list" \
	sh -c '! tlctl key list | grep -q " t10\.a "'
check_output "a deleted name can be used again" '^key t10\.a: id' \
	tlctl key create t10.a

# Failures: exit 1, with a message that says what is wrong.
check_fails "key create of a taken name fails (EEXIST)" 1 \
	tlctl key create t10.a
check_output "... saying so" "a key named 't10\\.a' already exists" \
	sh -c 'tlctl key create t10.a; true'
check_fails "key create with a blank in the name fails (EINVAL)" 1 \
	tlctl key create "t10 a"
check_output "... naming the allowed characters" \
	"invalid key name 't10/a' \\(1 to 63 bytes of A-Z a-z 0-9 _ \\. : -\\)" \
	sh -c 'tlctl key create t10/a; true'
long=t10.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
check_output "a 63-byte name is accepted" "^key $long: id" \
	tlctl key create $long
check_fails "a 64-byte name is refused" 1 tlctl key create ${long}b
check_fails "an empty name is refused" 1 tlctl key create ""
big=$(head -c 4097 /dev/zero | tr '\0' x)
check_fails "key create --initial over max_value_size fails (E2BIG)" 1 \
	tlctl key create t10.big --initial "$big"
check_output "... saying so" "initial value of 4097 bytes is over the module's max_value_size" \
	sh -c 'tlctl key create t10.big --initial "$0"; true' "$big"
check_output "an initial value of max_value_size bytes is accepted" \
	'^key t10\.big: id' \
	tlctl key create t10.big --initial "$(head -c 4096 /dev/zero | tr '\0' y)"
check_fails "key delete of an unknown name fails" 1 tlctl key delete t10.nokey
check_output "... suggesting key create" \
	"no key named 't10\\.nokey'; create it with 'tlctl key create t10\\.nokey'" \
	sh -c 'tlctl key delete t10.nokey; true'
check_fails "key delete of an unknown id fails (ENOENT)" 1 \
	tlctl key delete 2000000000
check_output "... saying so" "no live named key with id 2000000000" \
	sh -c 'tlctl key delete 2000000000; true'
check_output "-j errors are a JSON object on stdout" \
	'^\{"error":"a key named .t10\.a. already exists"\}$' \
	sh -c 'tlctl -j key create t10.a 2>/dev/null; true'

# Usage errors: exit 2.
check_fails "an unknown key command is a usage error" 2 tlctl key frob
check_fails "key create without NAME is a usage error" 2 tlctl key create
check_fails "key create with an unknown option is a usage error" 2 \
	tlctl key create t10.x --frob
check_fails "key create --initial without a value is a usage error" 2 \
	tlctl key create t10.x --initial
check_fails "key create --fd is for batch only" 2 tlctl key create t10.x --fd
check_fails "key create with two names is a usage error" 2 \
	tlctl key create t10.x t10.y
check_fails "key delete without a key is a usage error" 2 tlctl key delete
check_fails "key list with two arguments is a usage error" 2 \
	tlctl key list x y
check_output "key help describes the commands" \
	'^Usage: tlctl key create NAME \[--inheritable\] \[--initial VALUE\]' \
	tlctl key help
check_output "tlctl help lists every object" \
	'^OBJECT := \{ key \| run \| table \| batch \| stats \| leaks \| version \}' \
	tlctl help
check_output "version help" '^Usage: tlctl version$' tlctl version help

for k in t10.a t10.inh t10.init t10.h2 t10.big $long; do
	tlctl key delete $k >/dev/null
done
check "every t10 key is deleted again" \
	sh -c '! tlctl key list | grep -q " t10\."'
