#!/usr/bin/env python3
"""ptydrive.py OUT SECONDS [EXPECT SEND]... -- CMD [ARG]...: run CMD on a
pty of its own (as a person at a terminal would: ssh asks for passwords on
its terminal) and answer it: for each pair, wait until the output since the
last match has a match of the regular expression EXPECT, then type SEND and
a newline. Then read until CMD ends. Everything CMD printed goes to OUT.
Exit status: CMD's; 124 when SECONDS passed first, 125 when CMD ended before
an EXPECT matched (OUT's last line names it)."""
import os
import pty
import re
import select
import sys
import time

out, seconds = sys.argv[1], float(sys.argv[2])
args = sys.argv[3:]
sep = args.index("--")
steps = list(zip(args[0:sep:2], args[1:sep:2]))
cmd = args[sep + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

end = time.monotonic() + seconds
seen = b""  # output since the last match
log = open(out, "wb")
status = None


def read_some():
    """More output into seen and OUT; False at the end of CMD's output."""
    global seen
    left = end - time.monotonic()
    if left <= 0:
        return False
    r, _, _ = select.select([fd], [], [], min(left, 0.5))
    if not r:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO: the pty's other side is closed
        return False
    if not data:
        return False
    seen += data
    log.write(data)
    log.flush()
    return True


for expect, send in steps:
    pat = re.compile(expect.encode(), re.M)
    while not pat.search(seen):
        if not read_some():
            why = "timed out" if time.monotonic() >= end else "ended"
            log.write(f"\nptydrive: {why} waiting for /{expect}/\n".encode())
            log.close()
            if why == "ended":
                os.waitpid(pid, 0)
                sys.exit(125)
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            sys.exit(124)
    seen = seen[pat.search(seen).end():]
    os.write(fd, send.encode() + b"\n")

while read_some():
    pass
if time.monotonic() >= end:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit(124)
_, st = os.waitpid(pid, 0)
log.close()
sys.exit(os.waitstatus_to_exitcode(st))
