#!/usr/bin/env python3
"""audit_events.py FILE: the audit events among the records audit_listen.py
wrote, one line each: "event=join user=... reason=..." with the values
unquoted, in the order man/loginjail-events.7 documents. A record that is
an event in a shape that page does not document prints as "BAD: record";
a plain log line (no "loginjail:" tag) is skipped."""
import json
import re
import sys

FIELDS = ["event", "user", "uid", "service", "tty", "rhost", "session", "sandbox"]
HEAD = re.compile(r"^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d loginjail: (.*)$")
PAIR = re.compile(r' ([a-z]+)=("(?:[^"\\]|\\.)*"|[A-Za-z0-9._:/@+-]+)')

for line in open(sys.argv[1]):
    rec = json.loads(line)
    m = HEAD.match(rec)
    if not m:
        if " loginjail:" in rec or "\n" in rec:
            print("BAD: " + repr(rec))
        continue
    pri, rest = int(m.group(1)), " " + m.group(2)
    pairs, pos = [], 0
    for p in PAIR.finditer(rest):
        if p.start() != pos:
            break
        v = p.group(2)
        if v.startswith('"'):
            v = re.sub(r"\\(.)", r"\1", v[1:-1])
        pairs.append((p.group(1), v))
        pos = p.end()
    keys = [k for k, _ in pairs]
    want = FIELDS + (["limit", "count"] if pairs and pairs[0] == ("event", "limit") else []) + ["reason"]
    if pos != len(rest) or keys != want or pri >> 3 != 10:
        print("BAD: " + repr(rec))
        continue
    print(" ".join("%s=%s" % kv for kv in pairs))
