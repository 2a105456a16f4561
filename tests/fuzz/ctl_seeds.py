#!/usr/bin/env python3
"""Write the seeds of fuzz_ctlreq and fuzz_ctlrep (tests/fuzz/corpus/ctlreq,
corpus/ctlrep): the control socket's messages as common/proto.h lays them out
on this (little-endian, x86-64) machine, whole ones of each command and
answer, and cut, mislabelled or mis-counted ones.

  ctlreq input: descriptor count (1 byte), struct lj_ctl_req (520 bytes)
  ctlrep input: command (1 byte), descriptor count (1 byte),
                struct lj_ctl_rep (88 bytes)

Run from the repository's top: python3 tests/fuzz/ctl_seeds.py"""
import os
import struct

VERSION = 6
JOIN, STATUS, STOP, INFO, RELOAD = 1, 2, 3, 4, 5
OK, FULL, OTHER_POLICY, BAD, OTHER_ACCOUNT, POLICY_CHANGED, CHECK_POLICY = range(7)
REQ_F_POLICY = 0x1
F_KEEPS_SLICE, F_HOST_NET = 0x1, 0x2
NS_COUNT = 7
KEYS = 24


def req(cmd, version=VERSION, flags=0, reserved=0, tty=b"pts/3"):
    key = struct.pack("=QQ32s32s32s%ds" % (KEYS * 8), 0x803, 0x2A1F, bytes(range(32)),
                      bytes(range(32, 64)), bytes(range(64, 96)),
                      bytes(i % 256 for i in range(KEYS * 8)))
    session = struct.pack("=32s32s128sII", b"sshd", tty, b"192.0.2.7", 4242, 0)
    return struct.pack("=IIII", version, cmd, flags, reserved) + key + session


def rep(status=OK, version=VERSION, sessions=1, nprocs=0, flags=0, user=b"alice"):
    return struct.pack("=IIIII68s", version, status, sessions, nprocs, flags, user)


def write(name, files):
    d = os.path.join("tests/fuzz/corpus", name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)


assert len(req(JOIN)) == 520 and len(rep()) == 88

write("ctlreq", {
    "01-join": bytes([1]) + req(JOIN),
    "02-join-resolved": bytes([1]) + req(JOIN, flags=REQ_F_POLICY),
    "03-status": bytes([0]) + req(STATUS),
    "04-stop": bytes([0]) + req(STOP),
    "05-unknown-cmd": bytes([0]) + req(9),
    "06-version-4-short": bytes([1]) + req(JOIN, version=4)[:24],
    "07-version-7": bytes([1]) + req(JOIN, version=7),
    "08-cut": bytes([1]) + req(JOIN)[:519],
    "09-join-no-fd": bytes([0]) + req(JOIN),
    "10-status-with-fd": bytes([1]) + req(STATUS),
    "11-empty": bytes([0]),
    "12-version-only": bytes([0]) + struct.pack("=I", VERSION),
    "13-unknown-cmd-with-fd": bytes([1]) + req(0),
    "14-join-tty-unprintable": bytes([1]) + req(JOIN, tty=b"\x1b[2J\xff" * 8),
    "15-info": bytes([0]) + req(INFO),
    "16-reload": bytes([0]) + req(RELOAD, flags=REQ_F_POLICY),
    "17-info-with-fd": bytes([1]) + req(INFO),
})

write("ctlrep", {
    "01-join-ok": bytes([JOIN, NS_COUNT + 1]) + rep(nprocs=1, flags=F_KEEPS_SLICE),
    "02-join-ok-v1": bytes([JOIN, NS_COUNT + 6]) + rep(nprocs=6, sessions=3),
    "03-join-host-net": bytes([JOIN, NS_COUNT]) + rep(flags=F_HOST_NET),
    "04-status": bytes([STATUS, 0]) + rep(sessions=2),
    "05-stop": bytes([STOP, 0]) + rep(sessions=0),
    "06-full": bytes([JOIN, 0]) + rep(status=FULL),
    "07-other-policy": bytes([JOIN, 0]) + rep(status=OTHER_POLICY),
    "08-bad": bytes([STATUS, 0]) + rep(status=BAD),
    "09-other-account": bytes([JOIN, 0]) + rep(status=OTHER_ACCOUNT, user=b"bob"),
    "10-policy-changed": bytes([JOIN, 0]) + rep(status=POLICY_CHANGED),
    "11-check-policy": bytes([JOIN, 0]) + rep(status=CHECK_POLICY),
    "12-too-many-procs": bytes([JOIN, NS_COUNT + 7]) + rep(nprocs=7),
    "13-fds-short": bytes([JOIN, NS_COUNT]) + rep(nprocs=1),
    "14-status-with-fds": bytes([STATUS, 1]) + rep(),
    "15-user-unterminated": bytes([JOIN, NS_COUNT]) + rep(user=b"a" * 68),
    "16-version-4": bytes([JOIN, 0]) + rep(version=4),
    "17-version-6-longer": bytes([JOIN, 0]) + rep(version=6) + bytes(8),
    "18-cut": bytes([JOIN, NS_COUNT]) + rep()[:87],
    "19-version-only": bytes([STATUS, 0]) + struct.pack("=I", VERSION),
    "20-empty": bytes([STATUS, 0]),
    "21-nprocs-wraps": bytes([JOIN, NS_COUNT - 1]) + rep(nprocs=0xFFFFFFFF),
    "22-info": bytes([INFO, 1]) + rep(sessions=4),
    "23-info-no-mountinfo": bytes([INFO, 0]) + rep(),
    "24-reload": bytes([RELOAD, 0]) + rep(),
    "25-reload-other-account": bytes([RELOAD, 0]) + rep(status=OTHER_ACCOUNT),
})
