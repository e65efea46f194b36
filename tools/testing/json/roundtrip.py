#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read roundtrip's output: every document must be UTF-8 and strict JSON,
and give back its bytes: "s" and "value" through surrogateescape, and
"value_hex"."""
import json
import re
import sys


def main():
    bad = docs = 0
    data = sys.stdin.buffer.read()
    # a document ends at the tab roundtrip writes after it (the writer
    # escapes every tab it is given)
    for m in re.finditer(rb"(.*?)\t([0-9a-f]*)\n", data, re.S):
        doc, want = m.group(1), bytes.fromhex(m.group(2).decode("ascii"))
        docs += 1
        try:
            text = doc.decode("utf-8")          # strict: JSON is UTF-8
            obj = json.loads(text)              # strict: no raw controls
            got_s = obj["s"].encode("utf-8", "surrogateescape")
            got_v = obj["value"].encode("utf-8", "surrogateescape")
            ok = (got_s == want and got_v == want and
                  bytes.fromhex(obj["value_hex"]) == want and
                  sorted(obj) == ["s", "value", "value_hex"])
        except (UnicodeError, ValueError, KeyError) as err:
            print("not parsed: %r: %s" % (doc[:80], err))
            ok = False
        if not ok:
            bad += 1
            if bad <= 5:
                print("mismatch: bytes %s, document %r" % (want.hex(), doc))
    print("%d documents, %d wrong" % (docs, bad))
    return 1 if bad or not docs else 0


sys.exit(main())
