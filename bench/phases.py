#!/usr/bin/python3
"""Split pam_loginjail's open_session into the helper's steps, from a
`perf trace -e MARKERS` log of pamrun runs (see bench.sh, "where the time
goes"). Only a few marker syscalls are traced, so the overhead stays small,
but the numbers are still somewhat higher than untraced runs: compare the
steps with each other, not with the table.

Markers, per helper process (the pamrun child that calls pidfd_open):
  start   pamrun's fork of the helper returns
  socket  first socket(): NSS starts (getpwnam tries nscd first)
  memfd   memfd_create(): the policy file has been read (policy load)
  pidfd   pidfd_open(): user, policy and resolve done
  clone1  fork of the user-namespace child; wait4 #1 = it has exited
  clone2  fork of the intermediate that unshares and forks init; wait4 #2
  poll    init said ready (the jail is built)
  sendmsg the reply to the module; the module's last setns() = joined
usage: phases.py TRACE_LOG LABEL
"""
import re
import statistics
import sys

LINE = re.compile(r'^\s*([\d.]+) \(\s*([\d.]+) ms\): (.+?)/(\d+)\s+(?:\.\.\. \[continued\]: )?(\w+)\((.*)$')


def parse(path):
    ev = []
    for line in open(path, errors='replace'):
        m = LINE.match(line)
        if m:
            ts, dur, comm, pid, sc, rest = m.groups()
            ev.append((float(ts), float(ts) + float(dur), comm, int(pid), sc, rest))
    ev.sort()
    return ev


def phases(ev):
    byp = {}
    for e in ev:
        byp.setdefault(e[3], []).append(e)
    rows = []
    for pid, es in byp.items():
        if not any(x[4] == 'pidfd_open' for x in es):
            continue
        fork = [x for x in ev if x[4] == 'clone' and re.search(r'= %d\b' % pid, x[5])]
        if not fork:
            continue
        t0, parent = fork[0][1], fork[0][3]
        first = lambda sc: next((x for x in es if x[4] == sc), None)
        allof = lambda sc: [x for x in es if x[4] == sc]
        sock, memfd, pidfd = first('socket'), first('memfd_create'), first('pidfd_open')
        clones, waits, polls, sends = allof('clone'), allof('wait4'), allof('poll'), allof('sendmsg')
        setns = [x for x in byp.get(parent, []) if x[4] == 'setns' and x[0] > t0]
        if not (sock and memfd and pidfd and sends and setns):
            continue
        r = {}
        r['exec, ld.so, libcap-ng init'] = sock[0] - t0
        r['NSS: user, groups (getpwnam, getgrouplist)'] = memfd[0] - sock[0]
        r['policy: parse, resolve'] = pidfd[1] - memfd[0]
        if len(clones) >= 2 and len(waits) >= 2 and polls:
            r['lock, state dir, cgroup mkdir+limits, home'] = clones[0][0] - pidfd[1]
            r['user ns: fork child, maps, sysctl, child exit'] = waits[0][1] - clones[0][0]
            r['spawn: fork, cgroup attach, unshare, fork init'] = waits[1][1] - clones[1][0]
            r['init builds the jail until "ready"'] = polls[0][1] - waits[1][1]
            r['other (pidfd, socket, pipe)'] = clones[1][0] - waits[0][1]
            r['join over ctl, attach caller, reply'] = sends[-1][1] - polls[0][1]
        else:
            r['lock, join over ctl, attach caller, reply'] = sends[-1][1] - pidfd[1]
        r['module: reap helper, seccomp, setns x7'] = setns[-1][1] - sends[-1][1]
        r['= open_session, fork of helper to joined'] = setns[-1][1] - t0
        rows.append(r)
    return rows


def main():
    rows = phases(parse(sys.argv[1]))
    label = sys.argv[2] if len(sys.argv) > 2 else ''
    if not rows:
        print('  %s: no complete run found in the trace' % label)
        return
    print('  %s, %d runs: median ms (p10-p90)' % (label, len(rows)))
    for k in rows[0]:
        v = sorted(x[k] for x in rows if k in x)
        n = len(v)
        print('    %-50s %6.2f  (%5.2f-%5.2f)' % (k, statistics.median(v), v[n // 10],
                                                v[min(n - 1, (9 * n) // 10)]))


main()
