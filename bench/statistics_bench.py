#!/usr/bin/env python3
"""Times GET /api/statistics on the seeded database (run by `bench/load.sh --statistics`, once per size).

`--section FILE`: one size's timings (and, with --explain-on, the plans) as a markdown section.
`--combine --out FILE SECTION...`: the sections into bench/results/statistics.md, with the ratio of the sizes' medians.

Sequential requests (one at a time: the figure asked for is one request's latency), interleaved across the queries,
after a warm-up; reports medians, as the machine is shared. The API's Server-Timing header splits each answer into
the database's part (the grouped queries) and the protection (the pure function). Then switches auto_explain on for
one request and copies the plans of its real SQL from the server log.
"""
import argparse, json, os, re, statistics, subprocess, time, urllib.request

p = argparse.ArgumentParser()
for a in ("--url", "--token", "--explain-on", "--explain-off", "--server-log", "--out", "--section", "--index-sql", "--psql"):
    p.add_argument(a)
p.add_argument("--rounds", type=int, default=11)
p.add_argument("--cases", default="100000")
p.add_argument("--combine", action="store_true")
p.add_argument("sections", nargs="*")
args = p.parse_args()

def med(xs):
    return f"{statistics.median(xs):.0f}"

if args.combine:
    texts = [open(f).read() for f in args.sections]
    medians = [dict(re.findall(r"^\| ([^|]+?) \| (\d+) \|", t, re.M)) for t in texts]
    sizes = [re.search(r"^## (\d+) cases", t, re.M).group(1) for t in texts]
    lines = [
        "# Statistics on the seeded database (issue 20)",
        "",
        f"Written by `bench/load.sh --statistics` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        "PostgreSQL (throwaway cluster, durable commits), the API in Release as `sspf_app`. Falkenberg seeded by the load "
        "bench's seed (`--bench-seed`) first to " + " and then to ".join(f"{int(x):,}" for x in sizes) + " cases in the same run "
        "(same cluster, same API build), all opened in the autumn of this year: year 2026 holds every case. "
        "**The machine was shared with six other engineers' builds and tests** (the load averages are in each section): "
        "every median below is an upper bound of a quiet machine's, not a measurement of one. A run on a quiet machine "
        "is still to be done.",
        "",
        "Target (issue 20): one full statistics request for a year under 300 ms median on PostgreSQL.",
        "",
    ]
    if len(sizes) == 2:
        lines += [f"## Ratio {int(sizes[1]):,} / {int(sizes[0]):,} cases (medians of total, same run)", "",
                  "| query | " + " | ".join(f"{int(x):,}" for x in sizes) + " | ratio |", "|---|---:|---:|---:|"]
        for q, v in medians[0].items():
            if q in medians[1]:
                lines.append(f"| {q} | {v} | {medians[1][q]} | {int(medians[1][q]) / max(int(v), 1):.1f} |")
        lines.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n" + "\n".join(texts))
    raise SystemExit(0)

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

plans = ""
if args.explain_on:
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
        # Only the statistics' own statements: the session lookups and pool resets are noise here.
        plans = "\n".join(b for b in re.split(r"\n(?=\d{4}-\d\d-\d\d )", f.read().decode("utf-8", "replace"))
                          if "plan:" in b and "DISCARD" not in b and "AuthSessions" not in b)

explains = ""
if args.index_sql:
    def explain(prefix, suffix):
        script = prefix + open(args.index_sql).read() + suffix
        # Never fails the run: an error of psql is written into the section instead of the plans.
        r = subprocess.run(["bash", "-c", args.psql + " -f -"], input=script.encode(), capture_output=True)
        return r.stdout.decode() + r.stderr.decode()
    # "Before": the indexes of migration StatisticsIndex, put back inside a transaction that is rolled back (the
    # migration StatisticsSpeed extended both so that the statistics read the ids from the index alone).
    before = ('BEGIN;\nDROP INDEX "IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId";\nDROP INDEX "IX_Cases_MunicipalityId_OpenedAt_Id";\n'
              'CREATE INDEX "IX_TransitionEvents_Workflow_To_At" ON "TransitionEvents" ("Workflow", "To", "At");\n'
              'CREATE INDEX "IX_Cases_MunicipalityId_OpenedAt" ON "Cases" ("MunicipalityId", "OpenedAt");\nANALYZE "TransitionEvents";\nANALYZE "Cases";\n')
    explains = ("### EXPLAIN ANALYZE with the indexes before StatisticsSpeed (IX_TransitionEvents_Workflow_To_At, "
                "IX_Cases_MunicipalityId_OpenedAt; inside a transaction, rolled back)\n\n```\n"
                + explain(before, "ROLLBACK;\n").strip()
                + "\n```\n\n### EXPLAIN ANALYZE with StatisticsSpeed's indexes (IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId, "
                "IX_Cases_MunicipalityId_OpenedAt_Id)\n\n```\n"
                + explain("", "").strip() + "\n```\n")

lines = [
    f"## {args.cases} cases",
    "",
    f"CasesOpened in 2026: {opened}, active at the end: {active}. Load average (1 min) during the timed requests: "
    f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores.",
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
lines.append("")
if explains:
    lines += [explains]
if plans:
    lines += ["### Plans (auto_explain, one request: year 2026 by month)", "", "```", plans.strip(), "```", ""]
with open(args.section, "w") as f:
    f.write("\n".join(lines))
print("\n".join(lines[:14]))
