# bench/load.sh --read-variants [--rounds 2] [--duration 10s] (issue 22), sourced by bench/load.sh after its setup of the
# 10,000-case part (bench build, cluster, seed, API started, users logged in, warm-up): the case read's aggregate loaded
# several ways on the same API process — "split": EF's split queries, one per collection (the read before round four);
# "single": one single query (joins: a cartesian product of the child collections); "whole": the app's read with the
# members in the aggregate's statement (before round ten); "free": the app's read with its aggregate loaded for nothing
# (a floor, round seventeen); "rowonly": with the case row alone as its aggregate; "ef": the aggregate in EF's single query, the members from
# the visibility statement (the app's read from round ten to seventeen); "app": what the app does
# (Features/Cases/CaseAccess.LoadForReadAsync) — switched at run time (PUT /bench/read-variant/{v},
# Features/Bench/ReadVariants.cs) and measured in alternation, --rounds times, 50 clients, samordnare and police member:
# req/s, API and PostgreSQL CPU per read (from /proc, over wrk's requests). "raw" and "secure" in the list measure the
# two baselines in the same alternation (GET /bench/baseline/{id}, /bench/secure/{id}; their reader column is the one
# scenario they have). Writes the block at the top of bench/results/read-variants.md (earlier runs below it are kept). About 30 s of measuring per variant, reader and round with
# --duration 10s (a 5 s warm-up each), plus the setup.
read -r -a variants <<<"${SSPF_READ_VARIANTS:-split single app}"   # e.g. SSPF_READ_VARIANTS="split app"
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    mode=read readers=(read read-police)
    case $v in
      raw) mode=baseline readers=(read) ;;
      secure) mode=secure readers=(read) ;;
      *) curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/$v" >/dev/null ;;
    esac
    for who in "${readers[@]}"; do
      token=$samordnare idfile="$ids/cases.txt"
      [[ $who == read-police ]] && token=$polis idfile="$ids/police-cases.txt"
      [[ $mode == baseline ]] && token=""
      SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$threads \
        wrk -t$threads -c$connections -d$warmup -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >/dev/null
      curl -sf -X DELETE "http://127.0.0.1:$api_port/bench/phases" >/dev/null
      api0=$(cpu_ms "$api_pid"); pg0=$(cpu_ms $(pg_pids))
      SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$threads \
        wrk -t$threads -c$connections -d"$duration" --latency -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$out/rv-$round-$v-$who.wrk"
      echo "$(( $(cpu_ms "$api_pid") - api0 )) $(( $(cpu_ms $(pg_pids)) - pg0 ))" >"$out/rv-$round-$v-$who.cpu"
      curl -sf "http://127.0.0.1:$api_port/bench/phases" >"$out/rv-$round-$v-$who.phases.json"
      step "round $round $v $who: $(grep -E '^Requests/sec' "$out/rv-$round-$v-$who.wrk" | awk '{print $2}') req/s"
    done
  done
done
curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/app" >/dev/null || true
python3 - "$out" "$root/bench/results/read-variants.md" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git -C "$root" rev-parse --short HEAD)" "$rounds" "$duration" "${variants[*]}" <<'PY'
import datetime, os, re, sys
out, dest, load, commit, rounds, duration = sys.argv[1:7]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(dest)), "..", "load"))   # bench/load, beside bench/results
from results_block import write_block
variants = sys.argv[7].split()
rows = {}
readers = lambda v: ("read",) if v in ("raw", "secure") else ("read", "read-police")
for r in range(1, int(rounds) + 1):
    for v in variants:
        for who in readers(v):
            base = f"{out}/rv-{r}-{v}-{who}"
            wrk = open(base + ".wrk").read()
            rps = float(re.search(r"Requests/sec:\s*([\d.]+)", wrk).group(1))
            requests = int(re.search(r"(\d+) requests in", wrk).group(1))
            m = re.search(r'"non2xx":(\d+)', wrk)
            non2xx = int(m.group(1)) if m else 0
            p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", wrk, re.M)
            p99 = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
            api, pg = map(int, open(base + ".cpu").read().split())
            rows.setdefault((v, who), []).append((rps, api / requests, pg / requests, p99, non2xx))
label = {"read": "samordnare", "read-police": "police member"}
ref = next((v for v in ("app",) if v in variants), variants[0])
lines = [f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC at {commit}, load average at the end {load}; "
         f"{rounds} rounds of {duration} per variant and reader at 50 clients, variants in alternation on one API process. "
         f"Mean over the rounds; *vs {ref}* is the ratio to {ref}'s req/s for the same reader in the same run, *vs raw* and *vs secure* "
         "to the baselines' (when they ran). CPU per read is the process's CPU time from /proc over wrk's requests.", "",
         f"| variant | reader | req/s | vs {ref} | vs raw | vs secure | API CPU ms/read | PostgreSQL CPU ms/read | p99 ms | p99 vs raw | non-2xx |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
mean = lambda xs, i: sum(x[i] for x in xs) / len(xs)
raw, secure = rows.get(("raw", "read")), rows.get(("secure", "read"))
for who in ("read", "read-police"):
    first = mean(rows[(ref, who)], 0)
    for v in variants:
        if (v, who) not in rows: continue
        xs = rows[(v, who)]
        vs_raw = f"{mean(xs, 0) / mean(raw, 0):.2f}" if raw else ""
        vs_secure = f"{mean(xs, 0) / mean(secure, 0):.2f}" if secure else ""
        p99_raw = f"{mean(xs, 3) / mean(raw, 3):.1f}" if raw else ""
        lines.append(f"| {v} | {label[who]} | {mean(xs, 0):.0f} | {mean(xs, 0) / first:.2f} | {vs_raw} | {vs_secure} | {mean(xs, 1):.2f} | {mean(xs, 2):.2f} | "
                     f"{mean(xs, 3):.1f} | {p99_raw} | {sum(x[4] for x in xs)} |")
# Issue 22's read targets as paired ratios: each round's read against the baselines of the same round, measured a minute
# or two apart, so the machine's drift between rounds cancels (one table's 15 s scenarios moved by up to a quarter between
# two runs of the same code, bench/results/load.md round twenty-one); the median and the spread of the rounds.
def by_round(v, who, baseline, i):
    """The median over the rounds of v's value i (req/s 0, API CPU 1, p99 3) divided by the baseline's of the same round (none: as is)."""
    ratios = sorted(rows[(v, who)][r][i] / (rows[(baseline, "read")][r][i] if baseline else 1) for r in range(int(rounds)))
    middle = ratios[len(ratios) // 2] if len(ratios) % 2 else (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2
    return f"**{middle:.2f}** ({ratios[0]:.2f}–{ratios[-1]:.2f})"
targets = [("req/s ÷ the raw baseline's (target ≥ 0.35)", "raw", 0), ("req/s ÷ the secure baseline's (target ≥ 0.70)", "secure", 0),
           ("p99 ÷ the raw baseline's (target ≤ 4)", "raw", 3)]
if ref == "app" and any(b in variants for _, b, _ in targets):
    lines += ["", "Issue 22's read targets, paired by round (median of the rounds' ratios, all rounds in brackets):", "",
              "| app ÷ baseline, same round | samordnare | police member |", "|---|---|---|"]
    lines += [f"| {name} | {by_round('app', 'read', b, i)} | {by_round('app', 'read-police', b, i)} |" for name, b, i in targets if b in variants]
    lines.append(f"| API CPU ms per read, the rounds' own (target ≤ 0.8) | {by_round('app', 'read', None, 1)} | {by_round('app', 'read-police', None, 1)} |")
# The run replaces the generated block at the top and keeps what follows it (earlier runs, written up by hand).
write_block(dest, "read_variants.sh", "\n".join(lines), "Case read: how the aggregate is loaded (bench/load.sh --read-variants)")
print("\n".join(lines))
PY
step "wrote bench/results/read-variants.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
