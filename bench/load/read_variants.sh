# bench/load.sh --read-variants [--rounds 2] [--duration 10s] (issue 22), sourced by bench/load.sh after its setup of the
# 10,000-case part (bench build, cluster, seed, API started, users logged in, warm-up): the case read's aggregate loaded
# several ways on the same API process — "split": EF's split queries, one per collection (the read before round four);
# "single": one single query (joins: a cartesian product of the child collections); "app": what the app does (Features/Cases/CaseAccess.LoadForReadAsync) — switched at run time (PUT
# /bench/read-variant/{v}, Features/Bench/ReadVariants.cs) and measured in alternation, --rounds times, 50 clients,
# samordnare and police member: req/s, API and PostgreSQL CPU per read, EF commands per read (the phase profile).
# Writes bench/results/read-variants.md. About 2 min of measuring per round with --duration 10s, plus the setup.
read -r -a variants <<<"${SSPF_READ_VARIANTS:-split single app}"   # e.g. SSPF_READ_VARIANTS="split app"
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/$v" >/dev/null
    for who in read read-police; do
      token=$samordnare idfile="$ids/cases.txt"
      [[ $who == read-police ]] && token=$polis idfile="$ids/police-cases.txt"
      SSPF_MODE=read SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$threads \
        wrk -t$threads -c$connections -d$warmup -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >/dev/null
      curl -sf -X DELETE "http://127.0.0.1:$api_port/bench/phases" >/dev/null
      api0=$(cpu_ms "$api_pid"); pg0=$(cpu_ms $(pg_pids))
      SSPF_MODE=read SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$threads \
        wrk -t$threads -c$connections -d"$duration" --latency -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$out/rv-$round-$v-$who.wrk"
      echo "$(( $(cpu_ms "$api_pid") - api0 )) $(( $(cpu_ms $(pg_pids)) - pg0 ))" >"$out/rv-$round-$v-$who.cpu"
      curl -sf "http://127.0.0.1:$api_port/bench/phases" >"$out/rv-$round-$v-$who.phases.json"
      step "round $round $v $who: $(grep -E '^Requests/sec' "$out/rv-$round-$v-$who.wrk" | awk '{print $2}') req/s"
    done
  done
done
curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/app" >/dev/null || true
python3 - "$out" "$root/bench/results/read-variants.md" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git -C "$root" rev-parse --short HEAD)" "$rounds" "$duration" "${variants[*]}" <<'PY'
import datetime, json, re, sys
out, dest, load, commit, rounds, duration = sys.argv[1:7]
variants = sys.argv[7].split()
rows = {}
for r in range(1, int(rounds) + 1):
    for v in variants:
        for who in ("read", "read-police"):
            base = f"{out}/rv-{r}-{v}-{who}"
            wrk = open(base + ".wrk").read()
            rps = float(re.search(r"Requests/sec:\s*([\d.]+)", wrk).group(1))
            m = re.search(r'"non2xx":(\d+)', wrk)
            non2xx = int(m.group(1)) if m else 0
            api, pg = map(int, open(base + ".cpu").read().split())
            phases = [p for p in json.load(open(base + ".phases.json")) if p["route"].startswith("GET /api/cases/{id:guid} 200")]
            n = sum(p["requests"] for p in phases) or 1
            commands = sum(ph["sqlCommands"] for p in phases for ph in p["phases"]) if phases else 0
            agg = [ph for p in phases for ph in p["phases"] if ph["phase"].startswith("aggregate")]
            agg_ms = agg[0]["meanMs"] - agg[0]["sqlMs"] if agg else 0
            rows.setdefault((v, who), []).append((rps, api / n, pg / n, commands, non2xx, agg_ms))
label = {"read": "samordnare", "read-police": "police member"}
lines = ["# Case read: how the aggregate is loaded (bench/load.sh --read-variants)", "",
         f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC at {commit}, load average at the end {load}; "
         f"{rounds} rounds of {duration} per variant and reader at 50 clients, variants in alternation on one API process. "
         f"Mean over the rounds; *vs {variants[0]}* is the ratio to the first variant's req/s in the same run. EF commands per read "
         "include the session check and the visibility statement (the access log's raw batch is not counted).", "",
         f"| variant | reader | req/s | vs {variants[0]} | API CPU ms/read | PostgreSQL CPU ms/read | EF commands/read | aggregate phase ms without SQL (50 clients) | non-2xx |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
for who in ("read", "read-police"):
    first = sum(x[0] for x in rows[(variants[0], who)]) / len(rows[(variants[0], who)])
    for v in variants:
        xs = rows[(v, who)]
        m = [sum(x[i] for x in xs) / len(xs) for i in range(6)]
        lines.append(f"| {v} | {label[who]} | {m[0]:.0f} | {m[0] / first:.2f} | {m[1]:.2f} | {m[2]:.2f} | {m[3]:.1f} | {m[5]:.2f} | {sum(x[4] for x in xs)} |")
open(dest, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
step "wrote bench/results/read-variants.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
