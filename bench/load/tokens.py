#!/usr/bin/env python3
"""Writes bench/results/tokens.md from `bench/load.sh --tokens-vs COMMIT` (bench/load/tokens.sh): sign-ins per second and
token validations per second (GET /api/me) with COMMIT's first-party tokens and with OpenIddict's reference tokens,
measured in alternation in one run, with the API's and PostgreSQL's CPU per request.

Usage: tokens.py RUN_DIR OUT_MD. RUN_DIR holds <round>-<variant>.wrk (+ .cpu: API and PostgreSQL CPU ms), run.json and
statements-<kind>(.sql): the statements one GET /api/me ran per token kind."""
import json, os, re, statistics, sys

run_dir, out = sys.argv[1], sys.argv[2]
facts = json.load(open(os.path.join(run_dir, "run.json")))
# Runs before round sixteen put both databases in one cluster.
clusters = ("each on a PostgreSQL cluster of its own" if facts.get("clusters") == "per side"
            else "on their own database of one PostgreSQL cluster")
rounds = range(1, facts["rounds"] + 1)
before, after = facts["before"], facts["after"]
variants = {
    "me-session": f"GET /api/me, first-party token (Data Protection; {before})",
    "me-reference-before": f"GET /api/me, OpenIddict reference token ({before})",
    "me-reference": f"GET /api/me, OpenIddict reference token (this tree, {after})",
    "login-json": f"sign-in POST /api/auth/login ({before})",
    "login-connect-before": f"sign-in POST /connect/token, password grant ({before})",
    "login-connect": f"sign-in POST /connect/token, password grant (this tree, {after})",
}

def load(rnd, name):
    path = os.path.join(run_dir, f"{rnd}-{name}.wrk")
    r = json.loads(re.search(r"^RESULT (\{.*\})$", open(path).read(), re.M).group(1))
    api, pg = (int(x) for x in open(path + ".cpu").read().split())
    ok = r["requests"] - r["non2xx"] - r["socket_errors"]
    r.update(ok=ok / (r["duration_us"] / 1e6), errors=r["non2xx"] + r["socket_errors"],
             api=api / max(r["requests"], 1), pg=pg / max(r["requests"], 1))
    return r

runs = {name: [load(n, name) for n in rounds] for name in variants}
med = lambda name, key: statistics.median(r[key] for r in runs[name])
div = lambda a, b: f"{a / b:.2f}" if b else "—"
def statements(kind):
    p = os.path.join(run_dir, f"statements-{kind}")
    return open(p).read().strip() if os.path.exists(p) else "?"

lines = [
    "# Token cost: sign-ins and token validations per second (issue 18)", "",
    f"Run {facts['date']} by `bench/load.sh --tokens-vs {before} --rounds {facts['rounds']} --duration {facts['duration']}` on "
    f"{facts['cores']} cores ({facts['host']}), .NET {facts['dotnet']}, PostgreSQL {facts['postgres']}; load average "
    f"{facts['loadavg']} at the end. When that is well above 0 the machine was shared with other engineers' builds and tests: "
    f"compare the ratios and the CPU per request, not the absolute figures.", "",
    f"*{before}* is the tree that still issues the first-party tokens (TokenService: a Data-Protection-protected payload "
    f"naming user, session and security stamp, checked in memory, then the session row); it also serves OpenIddict's "
    f"reference tokens, so its two `/api/me` lines compare the token kinds in one binary. *This tree* ({after}) accepts "
    f"only reference tokens. Both APIs ran side by side, {clusters} (the app role, "
    f"automatic statement preparation), each variant got {facts['startup_warmup']} of warm-up, then every variant ran "
    f"{facts['duration']} per round, the order reversed every other round. `/api/me` ran with 50 connections and one token; "
    f"sign-ins with {facts['login_connections']} connections, the real password hash (100,000 PBKDF2 iterations) and "
    f"rate limits lifted for the run.", "",
    "| variant | median req/s | p50 / p99 ms | API CPU ms / request | PostgreSQL CPU ms / request | errors (all rounds) |",
    "|---|---:|---|---:|---:|---:|",
]
for name, label in variants.items():
    lines.append(f"| {label} | {med(name, 'ok'):.0f} | {med(name, 'p50') / 1000:.1f} / {med(name, 'p99') / 1000:.1f} | "
                 f"{med(name, 'api'):.3f} | {med(name, 'pg'):.3f} | {sum(r['errors'] for r in runs[name])} |")
ratio = lambda a, b, key: div(med(a, key), med(b, key))
lines += ["",
    "| ratio (medians of the rounds) | req/s | API CPU / request | PostgreSQL CPU / request |", "|---|---:|---:|---:|",
    f"| reference token ({after}) ÷ first-party token ({before}) | **{ratio('me-reference', 'me-session', 'ok')}** | "
    f"**{ratio('me-reference', 'me-session', 'api')}** | **{ratio('me-reference', 'me-session', 'pg')}** |",
    f"| reference token ({before}) ÷ first-party token ({before}) | {ratio('me-reference-before', 'me-session', 'ok')} | "
    f"{ratio('me-reference-before', 'me-session', 'api')} | {ratio('me-reference-before', 'me-session', 'pg')} |",
    f"| sign-in /connect/token ({after}) ÷ /api/auth/login ({before}) | {ratio('login-connect', 'login-json', 'ok')} | "
    f"{ratio('login-connect', 'login-json', 'api')} | {ratio('login-connect', 'login-json', 'pg')} |",
    f"| sign-in /connect/token ({before}) ÷ /api/auth/login ({before}) | {ratio('login-connect-before', 'login-json', 'ok')} | "
    f"{ratio('login-connect-before', 'login-json', 'api')} | {ratio('login-connect-before', 'login-json', 'pg')} |",
    "",
    f"Statements one GET /api/me sent to PostgreSQL (server log of a single request): first-party token "
    f"{statements('before-session')}, reference token in {before} {statements('before-reference')}, reference token in this "
    f"tree {statements('after-reference')} (the endpoint itself reads the user and the municipalities: 2 of them).", "",
    "Per round (req/s): " + "; ".join(f"{name} " + ", ".join(f"{r['ok']:.0f}" for r in runs[name]) for name in variants) + ".", ""]
begin, end = "<!-- tokens:begin -->", "<!-- tokens:end -->"
generated = begin + "\n" + "\n".join(lines) + end
text = open(out).read() if os.path.exists(out) else f"{begin}\n{end}\n"
text = text[:text.index(begin)] + generated + text[text.index(end) + len(end):] if begin in text and end in text else text + "\n" + generated + "\n"
open(out, "w").write(text)
print("\n".join(lines))
for kind in ("before-session", "before-reference", "after-reference"):
    p = os.path.join(run_dir, f"statements-{kind}.sql")
    if os.path.exists(p): print(f"-- {kind}\n" + open(p).read())
