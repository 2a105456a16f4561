# abstract.py MODE NAME: abstract unix sockets for test_host_scope.sh.
#   listen NAME    serve a stream and a datagram socket at @NAME and @NAME.d
#   connect NAME   prints "LJ connect=ok hello" or "LJ connect=ERRNO"
#   dgram NAME     prints "LJ dgram=ok" or "LJ dgram=ERRNO" (sendto @NAME.d)
#   self NAME      listen at @NAME, connect from another process (this
#                  script run again): prints that one's "LJ connect=" line
import errno
import socket
import subprocess
import sys

mode, name = sys.argv[1], sys.argv[2]
addr = "\0" + name


def err(e):
    return errno.errorcode.get(e.errno, str(e.errno))


if mode in ("listen", "self"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(addr)
    s.listen(8)
    if mode == "self":
        p = subprocess.Popen([sys.executable, __file__, "connect", name])
        c, _ = s.accept()
        c.sendall(b"hello\n")
        c.close()
        sys.exit(p.wait())
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.bind(addr + ".d")
    print("ready", flush=True)
    while True:
        c, _ = s.accept()
        c.sendall(b"hello\n")
        c.close()
elif mode == "connect":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(addr)
        print("LJ connect=ok", s.recv(16).decode().strip(), flush=True)
    except OSError as e:
        print("LJ connect=" + err(e), flush=True)
elif mode == "dgram":
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        d.sendto(b"x", addr + ".d")
        print("LJ dgram=ok", flush=True)
    except OSError as e:
        print("LJ dgram=" + err(e), flush=True)
