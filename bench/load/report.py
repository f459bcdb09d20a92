#!/usr/bin/env python3
"""Writes bench/results/load.md from the outputs bench/load.sh collected in one run.

Usage: report.py RUN_DIR OUT_MD. RUN_DIR holds <size>-<scenario>.wrk (wrk's output, with the RESULT line printed by
scenario.lua's done()), <size>-<scenario>.window (its start and end), timeline.txt and server.log (lulls.py),
<size>-<scenario>.rss (peak RSS in kB while it ran), <size>-<scenario>.cpu (CPU ms of the API
and of PostgreSQL while it ran, from /proc) and run.json (facts about the run). Every scenario is reported against both
baselines of the same run and size: the raw one (one row, nothing written) and the secure one (issue 22: session
lookup, the case and its children in one batch, one hash-chained access-log insert).
Only the part between the markers is rewritten; the rest of OUT_MD (the before/after notes) is kept."""
import json, os, re, sys
from results_block import write_block
from lulls import lulls

run_dir, out = sys.argv[1], sys.argv[2]
facts = json.load(open(os.path.join(run_dir, "run.json")))
SCENARIOS = [
    ("baseline", "baseline: raw Npgsql, same case row"),
    ("secure", "secure baseline: raw Npgsql session + case batch + chained log insert"),
    ("read", "case read as samordnare"),
    ("read-police", "case read as police member"),
    ("list", "list of visible cases (samordnare)"),
    ("search", "personnummer search (samordnare)"),
    ("transition", "transition Close/Reopen (samordnare)"),
    ("create", "case creation, a new youth each (samordnare)"),
    ("create-pbkdf2", "case creation, blind index at production's 100,000 PBKDF2 iterations"),
]

def load(size, name):
    path = os.path.join(run_dir, f"{size}-{name}.wrk")
    if not os.path.exists(path): return None
    m = re.search(r"^RESULT (\{.*\})$", open(path).read(), re.M)
    if not m: return None
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    rss = os.path.join(run_dir, f"{size}-{name}.rss")
    r["rss_mb"] = int(open(rss).read().strip() or 0) / 1024 if os.path.exists(rss) else 0
    cpu = os.path.join(run_dir, f"{size}-{name}.cpu")
    api_ms, pg_ms = (int(v) for v in open(cpu).read().split()) if os.path.exists(cpu) else (0, 0)
    r["api_cpu"] = api_ms / r["requests"] if r["requests"] and api_ms else None
    r["pg_cpu"] = pg_ms / r["requests"] if r["requests"] and pg_ms else None
    return r

ms = lambda us: f"{us / 1000:.1f}" if us else "—"  # wrk has no latency samples when every request timed out
lines = [f"Run {facts['date']} on {facts['cores']} cores ({facts['host']}), .NET {facts['dotnet']}, PostgreSQL {facts['postgres']}, "
         f"wrk {facts['connections']} connections, {facts['duration']} per scenario. After each start of the API every scenario "
         f"ran {facts['startup_warmup']} unmeasured (the transition on cases of its own), and each scenario gets a "
         f"{facts['warmup']} warm-up before it is measured (none for the transition). Written by `bench/load.sh`.", ""]
results = {}
for size in facts["sizes"]:
    lines += [f"### {size:,} cases".replace(",", " "), "",
              "| scenario | requests/s | p50 ms | p95 ms | p99 ms | errors | peak RSS MB | API CPU ms/req | PostgreSQL CPU ms/req | req/s vs raw baseline | req/s vs secure baseline |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base, secure = load(size, "baseline"), load(size, "secure")
    for name, label in SCENARIOS:
        r = load(size, name)
        if r is None: continue
        results[(size, name)] = r
        ratio = lambda b: f"{r['rps'] / b['rps']:.2f}" if b and b["rps"] else "—"
        cpu = lambda v: f"{v:.2f}" if v else "—"
        lines.append(f"| {label} | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['p99'])} | "
                     f"{r['non2xx'] + r['socket_errors']} | {r['rss_mb']:.0f} | {cpu(r['api_cpu'])} | {cpu(r['pg_cpu'])} | "
                     f"{ratio(base)} | {ratio(secure)} |")
    lines.append("")
    lines += lulls(run_dir, size, [name for name, _ in SCENARIOS])

sizes = facts["sizes"]
lines += ["### Targets", "", "| target | measured | met |", "|---|---|---|"]
def row(target, measured, ok): lines.append(f"| {target} | {measured} | {'yes' if ok else '**no**'} |")
small = sizes[0]
b, sb = results.get((small, "baseline")), results.get((small, "secure"))
rd, rp = results.get((small, "read")), results.get((small, "read-police"))
if b and rd and rp:  # issue 22's targets
    worst = min(rd["rps"], rp["rps"]) / b["rps"]
    row("case read ≥ 35 % of the raw baseline's req/s", f"samordnare {rd['rps'] / b['rps']:.0%}, police {rp['rps'] / b['rps']:.0%}", worst >= 0.35)
    if sb:
        worst = min(rd["rps"], rp["rps"]) / sb["rps"]
        row("case read ≥ 70 % of the secure baseline's req/s", f"samordnare {rd['rps'] / sb['rps']:.0%}, police {rp['rps'] / sb['rps']:.0%}", worst >= 0.7)
    cpus = [x["api_cpu"] for x in (rd, rp) if x["api_cpu"]]
    if cpus: row("case read: API CPU ≤ 0.8 ms per read", " / ".join(f"{c:.2f} ms" for c in cpus), max(cpus) <= 0.8)
    p99 = max(rd["p99"], rp["p99"])
    row("case read p99 ≤ 4 × the raw baseline's p99", f"{ms(p99)} ms vs 4 × {ms(b['p99'])} ms", 0 < p99 <= 4 * b["p99"])
if len(sizes) > 1:
    for name in ("list", "search"):
        a, z = results.get((sizes[0], name)), results.get((sizes[-1], name))
        if a and z and a["p95"] and z["p95"]:
            f = z["p95"] / a["p95"]
            row(f"{name}: p95 at {sizes[-1]:,} ≤ 1.5 × p95 at {sizes[0]:,}".replace(",", " "),
                f"{ms(a['p95'])} → {ms(z['p95'])} ms ({f:.2f}×)", f <= 1.5)
t = results.get((small, "transition"))
if t:
    ok_rps = (t["requests"] - t["non2xx"] - t["socket_errors"]) / (t["duration_us"] / 1e6)
    row("transition ≥ 500/s with the audit chain", f"{ok_rps:.0f}/s successful", ok_rps >= 500)
for name in ("create", "create-pbkdf2"):
    c = results.get((small, name))
    if c:
        row(f"{'case creation' if name == 'create' else 'case creation at 100,000 iterations'}: p95 below the 3.4 s of issue 23 item 21",
            f"p50 {ms(c['p50'])}, p95 {ms(c['p95'])}, max {ms(c['max'])} ms at 50 clients", 0 < c["p95"] < 3_400_000)
peak = max((r["rss_mb"] for r in results.values()), default=0)
row("API working set < 300 MB through the run", f"peak RSS {peak:.0f} MB", peak < 300)
lines.append("")
if b and rd and rp:
    lines += ["The case read's targets above come from one 15 s run per scenario, in sequence: two runs of the same code differed by up "
              "to a quarter (round twenty-one). `SSPF_READ_VARIANTS=\"raw secure app\" bench/load.sh --read-variants --rounds 4` judges "
              "them paired by round (bench/results/read-variants.md).", ""]

write_block(out, "load.sh", "\n".join(lines), "Load benchmark")
print("\n".join(lines))
