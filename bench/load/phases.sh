# bench/load.sh --phases (issue 22), sourced by bench/load.sh after its setup of the 10,000-case part (published bench
# build, PostgreSQL cluster, seed, API started, demo users logged in, warm-up): for the case read (samordnare, police member), the transition Close/Reopen and the case
# creation runs wrk with one client (where wall time per phase is the request's own work) and with 50 (where waits
# show), resetting and reading the API's per-phase profile (GET/DELETE /bench/phases, Features/Bench/ReadPhases.cs) and
# sampling PostgreSQL's wait events (pg_stat_activity every 0.1 s) during the 50-client run. Writes
# bench/results/load-phases.md. Takes about 5 minutes on a quiet machine with --duration 10s.
phase_run() { # name mode token idsfile clients
  local name=$1 mode=$2 token=$3 idfile=$4 c=$5 t=$threads sampler=""
  (( c == 1 )) && t=1
  [[ $mode == create ]] && next_create_run
  curl -sf -X DELETE "http://127.0.0.1:$api_port/bench/phases" >/dev/null
  if (( c > 1 )); then
    echo "SELECT coalesce(wait_event_type, 'CPU') || ': ' || coalesce(wait_event, '') || ' | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 70)
          FROM pg_stat_activity WHERE datname = '$db' AND state NOT IN ('idle') AND pid <> pg_backend_pid(); \\watch 0.1" \
      | as_postgres timeout "$duration" "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -At >"$out/$name-$c.waits" 2>/dev/null & sampler=$!
  fi
  local api0; api0=$(cpu_ms "$api_pid")
  SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$t \
    wrk -t$t -c$c -d"$duration" --timeout 30s --latency -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$out/$name-$c.wrk"
  echo "$(( $(cpu_ms "$api_pid") - api0 ))" >"$out/$name-$c.cpu"
  [[ -n $sampler ]] && { wait "$sampler" 2>/dev/null || true; } # psql ends with its timeout (killing the pipeline's shell would leave it running)
  curl -sf "http://127.0.0.1:$api_port/bench/phases" >"$out/$name-$c.phases.json"
  step "$name, $c clients: $(grep -E '^Requests/sec' "$out/$name-$c.wrk" | awk '{print $2}') req/s"
}
for c in 1 $connections; do
  phase_run read read "$samordnare" "$ids/cases.txt" "$c"
  phase_run read-police read "$polis" "$ids/police-cases.txt" "$c"
  # Each case starts from the state the previous run left it in (as --transitions-vs does).
  psql_ -d "$db" -At -F ' ' -c "SELECT \"Id\", \"State\" FROM \"Cases\" WHERE \"Id\" = ANY ('{$(paste -sd, "$ids/transition-cases.txt")}'::uuid[])" \
    >"$out/transition-states.txt"
  phase_run transition transition "$samordnare" "$out/transition-states.txt" "$c"
  phase_run create create "$samordnare" "$ids/cases.txt" "$c"
done
python3 - "$out" "$root/bench/results/load-phases.md" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git -C "$root" rev-parse --short HEAD)" <<'PY'
import collections, datetime, glob, json, re, sys
out, dest, load, commit = sys.argv[1:5]
names = [("read", "case read as samordnare"), ("read-police", "case read as police member"),
         ("transition", "transition Close/Reopen (samordnare)"), ("create", "case creation, a new youth each")]
lines = [f"# Phases of a request (bench/load.sh --phases)", "",
         f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC at {commit}, load average at the end {load}. "
         "Mean per request from the API's own marks (Features/Bench/ReadPhases.cs, bench build only); *SQL* is EF Core's "
         "commands in the phase and their time from sending to the first answer (raw Npgsql batches, such as the access "
         "log's lock-and-head and the case-number counter's lock, are not counted, nor are the access log writer's "
         "commands, which run outside the request's flow): *ms without SQL* is the API's own work plus those waits. "
         "Wait events: the API's PostgreSQL backends sampled every 0.1 s during the 50-client run of the scenario.", ""]
for key, title in names:
    files = sorted((f for f in glob.glob(f"{out}/{key}-*.phases.json") if re.fullmatch(rf"{re.escape(key)}-\d+\.phases\.json", f.split("/")[-1])),
                   key=lambda f: int(re.search(r"-(\d+)\.phases", f).group(1)))
    for f in files:
        c = re.search(r"-(\d+)\.phases", f).group(1)
        wrk = open(f.replace(".phases.json", ".wrk")).read()
        rps = float(re.search(r"Requests/sec:\s*([\d.]+)", wrk).group(1))
        total = sum(r["requests"] for r in json.load(open(f)))
        cpu = int(open(f.replace(".phases.json", ".cpu")).read())
        lines.append(f"## {title}, {c} client{'s' if c != '1' else ''}: {rps:.0f} req/s, API CPU {cpu / max(total, 1):.2f} ms per request")
        lines.append("")
        for route in json.load(open(f)):
            if route["requests"] < max(5, total // 100): continue
            lines += [f"`{route['route']}`: {route['requests']} requests, mean {route['meanMs']:.2f} ms", "",
                      "| phase | ms | SQL commands | SQL ms | ms without SQL |", "|---|---:|---:|---:|---:|"]
            for p in route["phases"]:
                lines.append(f"| {p['phase']} | {p['meanMs']:.3f} | {p['sqlCommands']:.1f} | {p['sqlMs']:.3f} | {p['meanMs'] - p['sqlMs']:.3f} |")
            lines.append("")
        waits = f.replace(".phases.json", ".waits")
        try:
            counted = collections.Counter(l.strip() for l in open(waits) if l.strip())
        except FileNotFoundError:
            continue
        samples = sum(counted.values())
        if samples:
            lines += ["PostgreSQL backends of the API by wait event and statement (samples every 0.1 s; share of all samples):", "",
                      "| wait event | statement | share |", "|---|---|---:|"]
            for k, n in counted.most_common(8):
                w, _, q = k.partition(" | ")
                lines.append(f"| {w} | `{q.replace('|', '¦').replace('`', '')}` | {n / samples:.0%} |")
            lines.append("")
open(dest, "w").write("\n".join(lines) + "\n")
PY
step "wrote bench/results/load-phases.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
