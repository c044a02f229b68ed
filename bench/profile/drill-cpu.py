#!/usr/bin/env python3
"""Per-process CPU and lock waits of `pgfleet bench verify-backup`, sampled from /proc and
pg_stat_activity while the bench runs (bench/RESULTS.md, verify-backup, session 6).

  python3 bench/profile/drill-cpu.py BENCH_DIR OUT_FILE   # stop with SIGTERM/SIGINT

Every 0.2 s it reads utime+stime of pg_restore, pg_dump, the PostgreSQL processes and the
threads of the bench JVM; every 0.5 s it asks the bench's PostgreSQL (trust on its unix socket,
found under BENCH_DIR) what each backend waits on. CPU is split by side: the drill's processes
name a `pgfleet_drill_*` database, the runbook's `bench_drill_manual`. JVM threads and the
server's own processes (walwriter, checkpointer...) are charged to the side whose restore is
running at the time. At the end it prints CPU seconds per side and per process kind, lock-wait
samples, and each side's wall time.
"""
import glob
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

HZ = os.sysconf("SC_CLK_TCK")
bench_dir, out_file = sys.argv[1], sys.argv[2]
stop = False


def on_signal(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def cpu(stat):
    # fields after the ")" of comm: state is [0], utime [11], stime [12]
    rest = stat[stat.rindex(b")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / HZ


def comm_of(stat):
    return stat[stat.index(b"(") + 1 : stat.rindex(b")")].decode(errors="replace")


def side_of(cmdline):
    i = cmdline.find("pgfleet_drill_")
    if i >= 0:
        return "drill " + cmdline[i + 14 : i + 26]  # one per drill run: its scratch database
    if "bench_drill_manual" in cmdline:
        return "runbook"
    return None


last = {}  # key -> cpu seconds seen
totals = defaultdict(float)  # (side, kind) -> seconds
pid_side = {}
pid_kind = {}
backend_role = {}  # backend pid -> "restore" / "read-back"
lock_waits = defaultdict(int)  # (side, what) -> samples
wall = defaultdict(float)  # side -> seconds during which that side's restore ran
socket = None
cluster = None
jvm = None
psql_at = 0.0
log = open(out_file + ".samples", "w")


def find_cluster():
    """The bench's PostgreSQL (pid, port, socket directory): the postmaster whose data directory
    is under BENCH_DIR, else the newest postmaster started after this sampler."""
    best = None
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        cmd = (read(f"/proc/{d}/cmdline") or b"").split(b"\0")
        if len(cmd) < 3 or not cmd[0].endswith(b"/postgres") or b"-D" not in cmd:
            continue
        data = cmd[cmd.index(b"-D") + 1].decode(errors="replace")
        started = os.stat(f"/proc/{d}").st_mtime
        mine = data.startswith(bench_dir)
        if mine or (started >= t_start and (best is None or started > best[0])):
            lines = (read(os.path.join(data, "postmaster.pid")) or b"").decode().splitlines()
            if len(lines) >= 5:
                found = (int(d), lines[3].strip(), lines[4].strip())
                if mine:
                    return found
                best = (started, found)
    return best[1] if best else None


t_start = time.time()


def bench_jvm():
    for d in os.listdir("/proc"):
        if d.isdigit():
            cmd = (read(f"/proc/{d}/cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
            if "pgfleet-dev.jar" in cmd and bench_dir in cmd and "java" in cmd.split(" ")[0]:
                return int(d)
    return None


def ppid_of(stat):
    return int(stat[stat.rindex(b")") + 2 :].split()[1])


def ask_postgres(now):
    global socket
    if socket is None:
        if cluster is None:
            return
        socket = (cluster[2], cluster[1])
    q = (
        "SELECT pid, datname, coalesce(wait_event_type,''), coalesce(wait_event,''),"
        " left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_activity"
        " WHERE datname LIKE 'pgfleet_drill_%' OR datname = 'bench_drill_manual'"
    )
    try:
        out = subprocess.run(
            ["psql", "-h", socket[0], "-p", socket[1], "-U", "postgres", "-d", "postgres",
             "-XAtq", "-F", "\t", "-c", q],
            capture_output=True, text=True, timeout=5,
        ).stdout
    except (subprocess.TimeoutExpired, OSError):
        return
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 5:
            continue
        pid, db, wtype, wevent, query = int(parts[0]), parts[1], parts[2], parts[3], parts[4]
        side = side_of(db)
        if "TO stdout" in query:
            backend_role[pid] = "read-back"
        elif pid not in backend_role or backend_role[pid] != "read-back":
            if "pg_stat_activity" not in query:
                backend_role.setdefault(pid, "restore")
        if wtype == "Lock":
            lock_waits[(side, backend_role.get(pid, "?") + " waits on " + wevent + ": " + query[:40])] += 1
        log.write(f"{now:.2f}\tpg\t{pid}\t{side}\t{wtype}\t{wevent}\t{query}\n")


t0 = time.time()
prev = 0.0
second = defaultdict(float)
second_at = 0.0
while not stop:
    now = time.time() - t0
    tick, prev = now - prev, now
    active = set()
    seen = {}
    if cluster is None:
        cluster = find_cluster()
        if cluster is not None:
            log.write(f"cluster {cluster}\n")
    if jvm is None:
        jvm = bench_jvm()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        stat = read(f"/proc/{pid}/stat")
        if stat is None:
            continue
        comm = comm_of(stat)
        if comm not in ("pg_restore", "pg_dump", "postgres", "java", "psql"):
            continue
        if comm == "java" and pid != jvm:
            continue
        if comm == "postgres" and (cluster is None or pid != cluster[0] and ppid_of(stat) != cluster[0]):
            continue
        if comm in ("pg_restore", "pg_dump", "psql") and (jvm is None or ppid_of(stat) != jvm):
            continue
        cmd = (read(f"/proc/{pid}/cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
        if comm == "java":
            for t in os.listdir(f"/proc/{pid}/task"):
                ts = read(f"/proc/{pid}/task/{t}/stat")
                if ts is not None:
                    seen[("jvm", int(t), comm_of(ts))] = cpu(ts)
            continue
        s = side_of(cmd)
        if s:
            pid_side[pid] = s
            active.add(s)
        if comm in ("pg_restore",) and s:
            kind = "pg_restore"
        elif comm == "pg_dump":
            kind = "pg_dump"
        elif comm == "psql":
            kind = "psql"
        elif s:
            kind = "backend"
        else:
            kind = "server:" + (cmd.split(" ", 1)[1][:30] if cmd.startswith("postgres:") else "postmaster")
        pid_kind[pid] = kind
        seen[("proc", pid, kind)] = cpu(stat)
    drills = sorted(a for a in active if a.startswith("drill"))
    side = drills[0] if drills else ("runbook" if "runbook" in active else "between")
    for key, c in seen.items():
        delta = c - last.get(key, c if key not in last and now < 1 else 0.0)
        last[key] = c
        if delta <= 0:
            continue
        kindset, pid, kind = key
        if kindset == "jvm":
            owner = side
            name = "jvm:" + kind.rstrip("0123456789-")
        else:
            owner = pid_side.get(pid, side)
            name = kind
            if kind == "backend":
                name = "backend:" + backend_role.get(pid, "restore")
        totals[(owner, name)] += delta
        second[(owner, name)] += delta
    if side != "between":
        wall[side] += tick
    if now - second_at >= 1.0:
        busy = ", ".join(f"{k[1]}={v:.2f}" for k, v in sorted(second.items(), key=lambda x: -x[1]) if v >= 0.05)
        log.write(f"{now:.1f}\tcpu\t{side}\t{busy}\n")
        second.clear()
        second_at = now
    if time.time() - psql_at >= 0.5:
        psql_at = time.time()
        ask_postgres(now)
    time.sleep(0.2)

with open(out_file, "w") as out:
    for s in sorted({k[0] for k in totals} | set(wall), key=str):
        rows = sorted(((v, k[1]) for k, v in totals.items() if k[0] == s), reverse=True)
        out.write(f"== {s}: wall {wall.get(s, 0):.1f} s, CPU {sum(v for v, _ in rows):.1f} s\n")
        for v, name in rows:
            if v >= 0.05:
                out.write(f"  {v:8.2f} s  {name}\n")
    out.write("== lock waits (samples of 0.5 s)\n")
    for (s, what), n in sorted(lock_waits.items(), key=lambda x: -x[1]):
        out.write(f"  {s}: {n} x {what}\n")
log.close()
