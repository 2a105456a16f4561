#!/usr/bin/env python3
"""audit_listen.py SOCKET OUT [--creds]: a stand-in for the host's log. Bind
a unix datagram socket at SOCKET and append every datagram to OUT as one
JSON string a line (a journal record has several lines of its own), until
killed. With --creds each line is a JSON object instead: the sender's uid,
gid and pid as the kernel passed them (SCM_CREDENTIALS, in this process's
namespaces) and the datagram as "data". Prints "ready" once bound."""
import json
import os
import socket
import struct
import sys

path, out = sys.argv[1], sys.argv[2]
creds = sys.argv[3:] == ["--creds"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if creds:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(path)
os.chmod(path, 0o666)
print("ready", flush=True)
ucred = struct.Struct("iII")
with open(out, "a") as f:
    while True:
        d, anc, _, _ = s.recvmsg(1 << 16, socket.CMSG_SPACE(ucred.size))
        text = d.decode("latin-1")
        if creds:
            rec = {"uid": None, "gid": None, "pid": None, "data": text}
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    rec["pid"], rec["uid"], rec["gid"] = ucred.unpack(data[: ucred.size])
            f.write(json.dumps(rec) + "\n")
        else:
            f.write(json.dumps(text) + "\n")
        f.flush()
