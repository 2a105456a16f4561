#!/usr/bin/env python3
"""audit_listen.py SOCKET OUT: a stand-in for the host's log. Bind a unix
datagram socket at SOCKET and append every datagram to OUT as one JSON string
a line (a journal record has several lines of its own), until killed.
Prints "ready" once bound."""
import json
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
print("ready", flush=True)
with open(out, "a") as f:
    while True:
        d = s.recv(1 << 16)
        f.write(json.dumps(d.decode("latin-1")) + "\n")
        f.flush()
