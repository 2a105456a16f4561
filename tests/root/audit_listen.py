#!/usr/bin/env python3
"""audit_listen.py SOCKET OUT [CREDS]: a stand-in for the host's log. Bind a
unix datagram socket at SOCKET and append every datagram to OUT as one JSON
string a line (a journal record has several lines of its own), and, with
CREDS, "uid=N pid=N TEXT" to CREDS (the sender as the kernel gives it, the
way journald and rsyslog see it), until killed. Prints "ready" once bound."""
import json
import os
import socket
import struct
import sys

path, out = sys.argv[1], sys.argv[2]
creds = sys.argv[3] if len(sys.argv) > 3 else None
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(path)
os.chmod(path, 0o666)
print("ready", flush=True)
cf = open(creds, "a") if creds else None
with open(out, "a") as f:
    while True:
        d, anc, _, _ = s.recvmsg(1 << 16, socket.CMSG_SPACE(12))
        text = d.decode("latin-1")
        f.write(json.dumps(text) + "\n")
        f.flush()
        if cf:
            pid = uid = -1
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid, uid, _ = struct.unpack("iii", data[:12])
            cf.write("uid=%d pid=%d %s\n" % (uid, pid, text.replace("\n", " ")))
            cf.flush()
