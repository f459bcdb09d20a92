#!/usr/bin/env python3
"""Stalls, and what coincided with them (issue 22: some runs had one scenario whose p99 jumped to 1-2 s, cause unknown).

lulls(run_dir, size) gives the markdown of one table: per scenario measured at that size, its longest lull — the longest
stretch of consecutive samples in which the API completed under a tenth of the scenario's median rate of thread-pool
work items — and, within the lull, what the API's runtime timeline (src/.../Features/Bench/RuntimeTimeline.cs,
timeline.txt: a sample every 100 ms) and PostgreSQL's log (server.log: checkpoints, autovacuum, lock waits over a second)
recorded. RUN_DIR holds <size>-<scenario>.window (the scenario's start and end, unix ms) as bench/load.sh writes them;
the first and last half second of each are left out (wrk opening and closing its connections). Run alone (lulls.py
RUN_DIR SIZE) it prints the table."""
import os, re, sys
from datetime import datetime, timezone

MS, CPU, THREADS, QUEUED, COMPLETED, GC_PAUSE, GEN0, GEN1, GEN2, CONTENTION, STEAL, PSI_CPU, PSI_IO, PSI_MEM = range(14)
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
EDGE_MS = 500
PG_EVENTS = [("checkpoint starting", "checkpoint"), ("checkpoint complete", "checkpoint done"), ("automatic vacuum", "autovacuum"),
             ("automatic analyze", "autoanalyze"), ("still waiting for", "lock wait > 1 s")]


def timeline(run_dir):
    path = os.path.join(run_dir, "timeline.txt")
    if not os.path.exists(path): return []
    rows = [[int(v) for v in line.split()] for line in open(path) if len(line.split()) == 14]
    return sorted(rows)


def pg_events(run_dir):
    """(unix ms, label) of the events of PostgreSQL's log that can hold up requests (log_timezone=UTC, bench/load.sh)."""
    path, events = os.path.join(run_dir, "server.log"), []
    if not os.path.exists(path): return events
    for line in open(path, errors="replace"):
        m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC", line)
        label = next((name for text, name in PG_EVENTS if text in line), None)
        if m and label:
            at = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
            events.append((at.timestamp() * 1000, label))
    return events


def longest_lull(samples):
    """(first, last) indexes of the samples bounding the longest stretch below a tenth of the median rate, or None."""
    rates = [(b[COMPLETED] - a[COMPLETED]) / max(b[MS] - a[MS], 1) for a, b in zip(samples, samples[1:])]
    if not rates: return None
    floor = sorted(rates)[len(rates) // 2] / 10
    best, start = None, None
    for i, rate in enumerate(rates + [floor]):  # the sentinel closes a lull that runs to the end
        if rate < floor and start is None: start = i
        elif rate >= floor and start is not None:
            if best is None or samples[i][MS] - samples[start][MS] > samples[best[1]][MS] - samples[best[0]][MS]: best = (start, i)
            start = None
    return best


def lulls(run_dir, size, order=()):
    """The table's lines; scenarios in `order` first, in its order (report.py's), then any others by name."""
    rows, events = timeline(run_dir), pg_events(run_dir)
    if not rows: return []
    lines = [f"Stall check ({size:,} cases".replace(",", " ") + "; `bench/load/lulls.py`): each scenario's longest stretch at under a "
             "tenth of its median rate of completed thread-pool work items, from the API's timeline (a sample every 100 ms), and "
             "what happened in it. A blocking GC, a starved thread pool (threads added, work queued), the machine (steal, "
             "CPU/IO/memory pressure) or PostgreSQL (its log, within a second of the lull) each shows in its own column.", "",
             "| scenario | longest lull ms | at s | GC pause ms | gen2 | pool threads | queued max | lock contentions | steal ms | pressure cpu / io / mem ms | PostgreSQL | longest gap between samples ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"]
    names = [f[:-len(".window")] for f in os.listdir(run_dir) if f.startswith(f"{size}-") and f.endswith(".window")]
    rank = {f"{size}-{scenario}": i for i, scenario in enumerate(order)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        start, end = (int(v) for v in open(os.path.join(run_dir, f"{name}.window")).read().split())
        samples = [r for r in rows if start + EDGE_MS <= r[MS] <= end - EDGE_MS]
        scenario = name[len(str(size)) + 1:]
        gap = max((y[MS] - x[MS] for x, y in zip(samples, samples[1:])), default=0)
        lull = longest_lull(samples)
        if lull is None:
            lines.append(f"| {scenario} | none | | | | | | | | | | {gap} |")
            continue
        a, b = samples[lull[0]], samples[lull[1]]
        inside = samples[lull[0]:lull[1] + 1]
        near = sorted({label for at, label in events if a[MS] - 1000 <= at <= b[MS] + 1000})
        pressure = " / ".join("—" if a[c] < 0 else f"{(b[c] - a[c]) / 1000:.0f}" for c in (PSI_CPU, PSI_IO, PSI_MEM))
        lines.append(f"| {scenario} | {b[MS] - a[MS]} | {(a[MS] - start) / 1000:.1f} | {b[GC_PAUSE] - a[GC_PAUSE]} | "
                     f"{b[GEN2] - a[GEN2]} | {a[THREADS]} → {max(s[THREADS] for s in inside)} | {max(s[QUEUED] for s in inside)} | "
                     f"{b[CONTENTION] - a[CONTENTION]} | {(b[STEAL] - a[STEAL]) * TICK_MS:.0f} | {pressure} | {', '.join(near) or '—'} | {gap} |")
    return lines + [""]


if __name__ == "__main__":
    print("\n".join(lulls(sys.argv[1], int(sys.argv[2]))))
