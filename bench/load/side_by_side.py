#!/usr/bin/env python3
"""Writes one scenario's block of bench/results/transitions.md (`bench/load.sh --transitions-vs COMMIT`) or reads.md
(`--reads-vs COMMIT`): the scenario of the COMMIT tree ("before") and of this tree ("after"), measured in alternation in
one run.

Usage: side_by_side.py RUN_DIR[,RUN_DIR] OUT_MD SCENARIO (transition, read, read-police or list). RUN_DIR holds
<round>-<scenario>-<before|after>.wrk (wrk's output with scenario.lua's RESULT line), .cpu and .rss, and run.json; two
of them are the two passes of --both-ways (the second with --swap-clusters), reported together."""
import json, os, re, shlex, statistics, sys

run_dirs, out, scenario = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
facts = json.load(open(os.path.join(run_dirs[0], "run.json")))
both_ways = len(run_dirs) == 2
# What each scenario is: its title, the option that measures it, what one request does, and what it counts.
kinds = {
    "transition": ("Transitions per second through the API, before and after (issues 17 and 22)", "--transitions-vs",
                   "the transition scenario of `bench/load.sh` (POST /api/cases/{id}/transitions, Close and Reopen in turn on "
                   "500 cases, {c} connections)", "transitions",
                   "; each round starts every case from the state the previous one left it in, so every request is a permitted transition"),
    "read": ("Case reads as the samordnare, before and after (issue 22)", "--reads-vs",
             "the case read of `bench/load.sh` (GET /api/cases/{id} as samordnare@, a random one of the seed's cases, {c} connections)", "reads", ""),
    "read-police": ("Case reads as a police member, before and after (issue 22)", "--reads-vs",
                    "the case read of `bench/load.sh` as polis@ (GET /api/cases/{id}, a random one of the cases the seed made "
                    "the police officer a member of, {c} connections)", "reads", ""),
    "list": ("The case list, before and after (issue 22)", "--reads-vs",
             "the list of `bench/load.sh` (GET /api/cases?page=1..10&pageSize=25 as samordnare@, {c} connections)", "lists", ""),
}
title, option, what, noun, rounds_note = kinds[scenario]

def load(run_dir, rnd, side):
    text = open(os.path.join(run_dir, f"{rnd}-{scenario}-{side}.wrk")).read()
    r = json.loads(re.search(r"^RESULT (\{.*\})$", text, re.M).group(1))
    seconds = r["duration_us"] / 1e6
    r["ok"] = (r["requests"] - r["non2xx"] - r["socket_errors"]) / seconds
    r["errors"] = r["non2xx"] + r["socket_errors"]
    # Issue 22: API and PostgreSQL CPU per request (ms, from /proc) and the API's peak RSS, when the run recorded them.
    cpu, rss = os.path.join(run_dir, f"{rnd}-{scenario}-{side}.cpu"), os.path.join(run_dir, f"{rnd}-{scenario}-{side}.rss")
    if os.path.exists(cpu) and r["requests"]:
        api_ms, pg_ms = (int(v) for v in open(cpu).read().split())
        r["api_cpu"], r["pg_cpu"] = api_ms / r["requests"], pg_ms / r["requests"]
    if os.path.exists(rss):
        r["rss"] = int(open(rss).read().split()[0] or 0) / 1024
    return r

# Each round: its run directory, its number and its label (with --both-ways, A1... for the first pass, B1... for the second).
rounds = [(d, n, f"{'AB'[i]}{n}" if both_ways else str(n)) for i, d in enumerate(run_dirs) for n in range(1, facts["rounds"] + 1)]
# Runs before --after-first existed set up the before side first.
after_first = facts.get("setup_order", "before after").startswith("after")
setup = "the after side set up first (--after-first)" if after_first else "the before side set up first"
envs = facts.get("after_env") or []  # --after-env NAME=VALUE, each as given ({app_role}: the side's connection string)
after_env = f", its API run with {', '.join(f'`{e}`' for e in envs)}" if envs else ""
# Runs before round sixteen put both databases in one cluster (the side on the one created first came out ahead).
clusters = ("each in a PostgreSQL cluster of its own, made alike" if facts.get("clusters") == "per side"
            else "in their own database of one PostgreSQL cluster")
swapped = facts.get("cluster_order", "").startswith("before")
if both_ways:
    clusters += (", in two passes: A with the after side's cluster created first, B with the before side's (--swap-clusters), "
                 f"{facts['rounds']} rounds each")
elif swapped:
    clusters += " (the before side's created first, --swap-clusters)"
runs = {side: [load(d, n, side) for d, n, _ in rounds] for side in ("before", "after")}
ms = lambda us: f"{us / 1000:.1f}"
med = lambda side, key: statistics.median(r[key] for r in runs[side])
lines = [
    f"# {title}", "",
    f"Run {facts['date']} by `bench/load.sh {option} {facts['before']} --rounds {facts['rounds']} --duration {facts['duration']}{' --after-first' if after_first else ''}{' --both-ways' if both_ways else ' --swap-clusters' if swapped else ''}{''.join(f' --after-env {shlex.quote(e)}' for e in envs)}` "
    f"on {facts['cores']} cores ({facts['host']}), .NET {facts['dotnet']}, PostgreSQL {facts['postgres']}; load average "
    f"{facts['loadavg']} at the end: the machine was shared with other engineers' builds and tests, so compare the ratio, not "
    f"the absolute figures.", "",
    f"*before* is {facts['before']}, *after* this tree ({facts['after']}){after_env}. Both APIs were published from their own tree with the benchmark flag, seeded with 10,000 cases each (the "
    f"same seed code) {clusters} — {setup} — and ran side by side; each got {facts['startup_warmup']} "
    f"of each measured scenario before anything was measured (the transition on cases of its own). Then {what.replace('{c}', str(facts['connections']))} ran "
    f"{facts['duration']} on each, alternating, the order swapped every round{rounds_note}.", "",
    f"| round | before: {noun}/s | after: {noun}/s | before p50 / p95 / p99 ms | after p50 / p95 / p99 ms | errors before / after |",
    "|---:|---:|---:|---|---|---|",
]
for i, (_, _, label) in enumerate(rounds):
    b, a = runs["before"][i], runs["after"][i]
    lines.append(f"| {label} | {b['ok']:.0f} | {a['ok']:.0f} | {ms(b['p50'])} / {ms(b['p95'])} / {ms(b['p99'])} | "
                 f"{ms(a['p50'])} / {ms(a['p95'])} / {ms(a['p99'])} | {b['errors']} / {a['errors']} |")
div = lambda a, b: f"{a / b:.2f}" if b else "—"  # a round in which no request finished (a saturated machine) has no ratio
total = {side: sum(r["requests"] - r["non2xx"] - r["socket_errors"] for r in runs[side]) for side in runs}
lines += ["",
    "| median of the rounds | before | after | after ÷ before |", "|---|---:|---:|---:|",
    f"| successful {noun} / s | {med('before', 'ok'):.0f} | {med('after', 'ok'):.0f} | **{div(med('after', 'ok'), med('before', 'ok'))}** |",
    f"| p50 ms | {ms(med('before', 'p50'))} | {ms(med('after', 'p50'))} | {div(med('after', 'p50'), med('before', 'p50'))} |",
    f"| p95 ms | {ms(med('before', 'p95'))} | {ms(med('after', 'p95'))} | {div(med('after', 'p95'), med('before', 'p95'))} |",
    f"| p99 ms | {ms(med('before', 'p99'))} | {ms(med('after', 'p99'))} | {div(med('after', 'p99'), med('before', 'p99'))} |",
    f"| successful {noun}, all rounds together | {total['before']} | {total['after']} | **{div(total['after'], total['before'])}** |",
    ]
has_cpu = all("api_cpu" in r for side in runs for r in runs[side])  # the run recorded CPU per request (issue 22)
if has_cpu:
    lines += [
        f"| API CPU ms per request | {med('before', 'api_cpu'):.2f} | {med('after', 'api_cpu'):.2f} | **{div(med('after', 'api_cpu'), med('before', 'api_cpu'))}** |",
        f"| PostgreSQL CPU ms per request | {med('before', 'pg_cpu'):.2f} | {med('after', 'pg_cpu'):.2f} | {div(med('after', 'pg_cpu'), med('before', 'pg_cpu'))} |",
        f"| peak RSS of the API, MB (largest round) | {max(r['rss'] for r in runs['before']):.0f} | {max(r['rss'] for r in runs['after']):.0f} | |"]
# Round thirteen: on unchanged code (an A/A run) the rate drifted by a quarter within a minute, so the medians of each
# side above can differ by more than a change does. Each round measures both sides back to back (the order swapped
# every round), so the ratio within a round cancels a slow drift: their median, with the spread, is the paired measure.
def paired(key, only=None):
    ratios = sorted(a[key] / b[key] for (d, _, _), b, a in zip(rounds, runs["before"], runs["after"])
                    if b.get(key) and a.get(key) and only in (None, d))
    if not ratios: return "—"
    q = lambda f: ratios[min(len(ratios) - 1, int(f * len(ratios)))]
    return f"**{statistics.median(ratios):.2f}** (middle half {q(0.25):.2f}–{q(0.75):.2f}, all {ratios[0]:.2f}–{ratios[-1]:.2f}, {len(ratios)} rounds)"
lines += [
    "", f"Per-round ratios after ÷ before: " + ", ".join(div(a['ok'], b['ok']) for b, a in zip(runs["before"], runs["after"])) + ".",
    "", f"Paired (the median of the per-round ratios): {noun}/s {paired('ok')}"
    + (f"; API CPU per request {paired('api_cpu')}" if has_cpu else "") + ".", ""]
if both_ways:
    lines[-1:-1] = ["", f"Each pass alone: " + "; ".join(
        f"{name} {noun}/s {paired('ok', d)}" + (f", API CPU {paired('api_cpu', d)}" if has_cpu else "")
        for name, d in zip(("A", "B"), run_dirs)) + "."]
marker = "transitions" if scenario == "transition" else scenario
begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
generated = begin + "\n" + "\n".join(lines) + end
text = open(out).read() if os.path.exists(out) else f"{begin}\n{end}\n"
text = text[:text.index(begin)] + generated + text[text.index(end) + len(end):] if begin in text and end in text else text + "\n" + generated + "\n"
open(out, "w").write(text)
print("\n".join(lines))
