#!/usr/bin/env bash
# Runs the reminder dispatch benchmark on a throwaway PostgreSQL cluster (started here on a free loopback port and
# stopped whatever happens), writing bench/results/dispatch.md. Without PostgreSQL's binaries it runs on SQLite.
#   bench/dispatch.sh                          this tree
#   bench/dispatch.sh --vs COMMIT [--rounds 4] this tree and COMMIT's (git archive, with this tree's DispatchBench.cs,
#                                              built with -p:SspfQuartz=true) alternately, each run a fresh process, in one
#                                              cluster; writes bench/results/dispatch-profile.md (throughput and profile)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
vs=""
rounds=4
while [[ $# -gt 0 ]]; do
  case $1 in
    --vs) vs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "usage: bench/dispatch.sh [--vs COMMIT [--rounds 4]]" >&2; exit 2 ;;
  esac
done
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
tmp=$(mktemp -d /tmp/sspf-bench-dispatch.XXXXXX)
chmod 755 "$tmp"
pgroot="$tmp/pg"
trap '[[ -f "$pgroot/data/postmaster.pid" ]] && as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -m immediate stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT
if [[ -n "$pgbin" ]]; then
  mkdir -p "$pgroot"; chmod 755 "$pgroot"
  [[ $(id -u) -eq 0 ]] && chown postgres "$pgroot"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  as_postgres "$pgbin/initdb" -D "$pgroot/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w -t 60 \
    -o "-p $port -k $pgroot -c listen_addresses=127.0.0.1" start >/dev/null
  export SSPF_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
fi
if [[ -z $vs ]]; then
  dotnet run -c Release --project bench/SspfSamordning.Bench -- dispatch --out bench/results/dispatch.md
  exit 0
fi

# --- this tree against COMMIT, alternately
mkdir -p "$tmp/before"
git archive "$vs" | tar -x -C "$tmp/before"
cp bench/SspfSamordning.Bench/DispatchBench.cs bench/SspfSamordning.Bench/SspfSamordning.Bench.csproj "$tmp/before/bench/SspfSamordning.Bench/"
dotnet build "$tmp/before/bench/SspfSamordning.Bench" -c Release -v q -p:SspfQuartz=true -o "$tmp/out-before" >"$tmp/build-before.log" 2>&1 \
  || { grep -E "error" "$tmp/build-before.log" | sort -u >&2; exit 1; }
dotnet build bench/SspfSamordning.Bench -c Release -v q -o "$tmp/out-after" >"$tmp/build-after.log" 2>&1 \
  || { grep -E "error" "$tmp/build-after.log" | sort -u >&2; exit 1; }
for round in $(seq 1 "$rounds"); do
  order="before after"; (( round % 2 == 0 )) && order="after before"
  for side in $order; do
    dotnet "$tmp/out-$side/SspfSamordning.Bench.dll" dispatch | grep '^PROFILE' | sed "s/^/$round $side /" | tee -a "$tmp/profile.txt"
  done
done
python3 - "$tmp/profile.txt" "$vs" "$(git rev-parse --short HEAD)" "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" >bench/results/dispatch-profile.md <<'PY'
import re, statistics, sys, datetime
path, before, after, rounds, load, cores = sys.argv[1:]
rows = []
for line in open(path):
    rnd, side, _, *kv = line.split()
    rows.append(dict(round=int(rnd), side=side, **{k: float(v) for k, v in (x.split("=") for x in kv)}))
def med(side, inst, key): return statistics.median(r[key] for r in rows if r["side"] == side and r["instances"] == inst)
print(f"# Reminder dispatch, {before} (Quartz) against {after} (Hangfire): throughput and profile\n")
print(f"Run {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by `bench/dispatch.sh --vs {before} --rounds {rounds}`, {cores} cores, load "
      f"average {load} at the end (the machine was shared with other engineers' builds and tests). Each side ran {rounds} times, "
      "alternating and the order swapped every round, each run a fresh process doing three rounds of one and of two instances "
      "(4000 due deadlines, a fresh database each) against the same PostgreSQL cluster. Both sides run this tree's "
      "`DispatchBench.cs`; the figures are medians over all measurements of a side.\n")
print("Per deadline: *CPU* is the bench process's CPU time (dispatcher, EF Core, Npgsql; PostgreSQL runs in its own processes), "
      "*allocated* the bytes the process allocated, *commands* the database commands EF Core sent, *in commands* the wall time "
      "from sending each command to its result (waiting for PostgreSQL, summed over instances).\n")
print("| instances | code | deadlines/s | CPU µs | allocated bytes | commands | in commands µs |")
print("|---:|---|---:|---:|---:|---:|---:|")
for inst in (1, 2):
    for side, label in (("before", f"{before} (Quartz)"), ("after", f"{after} (Hangfire)")):
        print(f"| {inst} | {label} | {med(side, inst, 'per_second'):.0f} | {med(side, inst, 'cpu_us'):.1f} | {med(side, inst, 'alloc_bytes'):.0f} | "
              f"{med(side, inst, 'commands'):.3f} | {med(side, inst, 'command_us'):.1f} |")
    print(f"| {inst} | **after ÷ before** | **{med('after', inst, 'per_second') / med('before', inst, 'per_second'):.2f}** | "
          f"{med('after', inst, 'cpu_us') / med('before', inst, 'cpu_us'):.2f} | {med('after', inst, 'alloc_bytes') / med('before', inst, 'alloc_bytes'):.2f} | "
          f"{med('after', inst, 'commands') / med('before', inst, 'commands'):.2f} | {med('after', inst, 'command_us') / med('before', inst, 'command_us'):.2f} |")
print("\nEvery measurement (deadlines/s), in the order they ran:\n")
for side in ("before", "after"):
    for inst in (1, 2):
        print(f"- {side}, {inst} instance{'s' if inst > 1 else ''}: " + ", ".join(f"{r['per_second']:.0f}" for r in rows if r["side"] == side and r["instances"] == inst))
PY
cat bench/results/dispatch-profile.md
