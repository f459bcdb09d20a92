#!/usr/bin/env python3
"""Times GET /api/statistics on the seeded 100,000-case database (run by `bench/load.sh --statistics`).

Sequential requests (one at a time: the figure asked for is one request's latency), interleaved across the queries,
after a warm-up; reports medians, as the machine is shared. The API's Server-Timing header splits each answer into
the database's part (the grouped queries) and the protection (the pure function). Then switches auto_explain on for
one request and copies the plans of its real SQL from the server log.
"""
import argparse, json, os, statistics, subprocess, time, urllib.request

p = argparse.ArgumentParser()
for a in ("--url", "--token", "--api-pid", "--explain-on", "--explain-off", "--server-log", "--out"):
    p.add_argument(a, required=True)
p.add_argument("--rounds", type=int, default=15)
p.add_argument("--cases", default="100,000")
args = p.parse_args()

queries = [
    ("year 2026", "from=2026-01-01&to=2026-12-31"),
    ("year 2026 by month", "from=2026-01-01&to=2026-12-31&breakdown=month"),
    ("year 2026 by quarter, CSV", "from=2026-01-01&to=2026-12-31&breakdown=quarter&format=csv"),
    ("2022-2026 by quarter", "from=2022-01-01&to=2026-12-31&breakdown=quarter"),
]

def get(query):
    req = urllib.request.Request(f"{args.url}/api/statistics?{query}", headers={"authorization": f"Bearer {args.token}"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
        timing = r.headers.get("Server-Timing", "")
    elapsed = (time.perf_counter() - start) * 1000
    parts = dict((k, float(v)) for k, v in (x.strip().split(";dur=") for x in timing.split(",") if ";dur=" in x))
    return elapsed, parts, body

for _, q in queries:
    for _ in range(3):
        get(q)
results = {name: [] for name, _ in queries}
loads = []
for _ in range(args.rounds):
    for name, q in queries:
        results[name].append(get(q)[:2])
    loads.append(os.getloadavg()[0])

_, _, sample = get(queries[1][1])
body = json.loads(sample)
active = next(t for t in body["tables"] if t["measure"] == "CasesActiveAtEnd")["rows"][0]["period"]["display"]
opened = next(t for t in body["tables"] if t["measure"] == "CasesOpened")["rows"][-1]["period"]["display"]

with open(args.server_log, "rb") as f:
    f.seek(0, 2)
    offset = f.tell()
subprocess.run(["bash", "-c", args.explain_on], check=True)
time.sleep(1)
get(queries[1][1])
time.sleep(1)
subprocess.run(["bash", "-c", args.explain_off], check=True)
with open(args.server_log, "rb") as f:
    f.seek(offset)
    plans = f.read().decode("utf-8", "replace")

def med(xs):
    return f"{statistics.median(xs):.0f}"

lines = [
    "# Statistics on the seeded database (issue 20)",
    "",
    f"Written by `bench/load.sh --statistics` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
    f"PostgreSQL (throwaway cluster, durable commits), the API in Release as `sspf_app`. Falkenberg seeded with {args.cases} cases "
    f"by the load bench's seed (`--bench-seed`), all opened in the autumn of this year: year 2026 holds every case "
    f"(CasesOpened {opened}, active at the end {active}). The machine was shared with other engineers' builds and tests: "
    f"load average {min(loads):.0f}-{max(loads):.0f} on {os.cpu_count()} cores during the run, so the medians below are "
    f"upper bounds of a quiet machine's, not measurements of one.",
    "",
    f"{args.rounds} sequential requests per query, interleaved, after 3 unmeasured ones each. *total*: the client's time "
    "for the whole answer; *db* and *protect*: the API's `Server-Timing` (the grouped SQL queries; the small-number "
    "protection of every grid year). Milliseconds, medians (min-max of total).",
    "",
    "| query | total | db | protect | total min-max |",
    "|---|---:|---:|---:|---:|",
]
for name, _ in queries:
    xs = results[name]
    totals = [x[0] for x in xs]
    lines.append(f"| {name} | {med(totals)} | {med([x[1].get('db', 0) for x in xs])} | {med([x[1].get('protect', 0) for x in xs])} "
                 f"| {min(totals):.0f}-{max(totals):.0f} |")
lines += ["", "Target (issue 20): one full statistics request for a year under 300 ms median on PostgreSQL.", "",
          "## Plans (auto_explain, one request: year 2026 by month)", "", "```", plans.strip(), "```", ""]
with open(args.out, "w") as f:
    f.write("\n".join(lines))
print("\n".join(lines[:20]))
