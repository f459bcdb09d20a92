#!/usr/bin/env bash
# Load benchmark (issue 8): one command, from a fresh clone, on loopback, bounded in time.
#   bench/load.sh [--cases 10000|100000] [--duration 15s]
#   bench/load.sh --transitions-vs COMMIT [--rounds 5] [--duration 15s]   (transitions/s of COMMIT and of this tree)
#   bench/load.sh --reads-vs COMMIT [--rounds 3] [--duration 15s]   # issue 22: case reads (samordnare, police) and the list, the same way
#   ... --transitions-vs|--reads-vs COMMIT --after-first   # set up this tree's side first (a check of the harness, bench/README.md)
#   ... --transitions-vs|--reads-vs COMMIT --both-ways   # twice, the second pass with --swap-clusters, reported together (bench/README.md)
#   ... --transitions-vs|--reads-vs HEAD --after-env NAME=VALUE   # the same tree with and without a runtime setting (repeatable;
#       'ConnectionStrings__Sspf={app_role};Maximum Pool Size=10' appends to the side's connection string)
#   bench/load.sh --tokens-vs COMMIT [--rounds 3] [--duration 10s]   # issue 18: sign-ins/s and token checks/s, COMMIT's first-party tokens vs OpenIddict's (bench/load/tokens.sh)
#   bench/load.sh --statistics [--cases 10000]   # issue 20: GET /api/statistics on the seeded database (bench/statistics_bench.py)
#   bench/load.sh --statistics --keep DIR        # ... and leave the stopped cluster (10,000- and 100,000-case databases) in DIR
#   bench/load.sh --statistics --reuse DIR       # time only: start DIR's cluster, migrate it to this build, no seed
#   bench/load.sh --pages   # issue 19: the case list and case page over the web cookie against the API read, 10,000 cases (bench/load/pages.py)
#   bench/load.sh --phases [--duration 10s]       # issue 22: where a read's and a transition's time goes, per phase (bench/load/phases.sh)
#   bench/load.sh --read-variants [--rounds 2] [--duration 10s]   # issue 22: the case read's aggregate query, variants in alternation (bench/load/read_variants.sh)
#   bench/load.sh --profile DIR   # issue 22: perf's CPU profile of the API per scenario, reports in DIR (bench/load/profile.sh)
#   bench/load.sh --cases 10000 --statements DIR   # issue 22: also PostgreSQL's time per statement (pg_stat_statements) of each scenario, in DIR
# Starts a throwaway PostgreSQL cluster, publishes the API in Release with the benchmark build flag (the raw-Npgsql
# baseline endpoint and the bulk seed), migrates as the owner, seeds Falkenberg with 10,000 cases, runs the API as the
# application role (db/roles-postgres.sql), logs in the demo users (the real login), drives every scenario with wrk
# (bench/load/scenario.lua, 50 connections) while sampling the API's RSS, then — with --cases 100000, the default —
# grows the municipality to 100,000 cases and runs baseline, list and search again. bench/load/report.py writes
# bench/results/load.md. With --transitions-vs COMMIT it instead builds COMMIT's tree too (git archive), seeds a database
# of its own for each tree in the same cluster, runs both APIs side by side and measures the transition scenario of each
# in alternation, --rounds times, writing bench/results/transitions.md (bench/load/side_by_side.py); --reads-vs COMMIT
# does the same with the case reads and the list (bench/results/reads.md). Needs the .NET 10 SDK, PostgreSQL's server binaries, python3 and wrk (installed with apt-get
# if missing). Works as root (PostgreSQL runs as the postgres user) and as a normal user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases=100000
duration="" # each mode's default below
warmup=5s
# Every API start gets a warm-up of all scenarios before anything is measured: with tiered compilation's quick tier a
# fresh .NET process ran its hot paths at lower JIT tiers for over a minute (a case read cost 7.5 ms of API CPU in the
# first 10 s of load, 2.6 ms after 50 s); the API now compiles its own code fully optimized at once and recompiles the
# framework's precompiled code once it is hot (its project file), and the database's caches, the connection pool and
# the prepared statements still warm up. Production processes run warm.
startup_warmup=10s
connections=50
threads=2
before=""
side_scenarios="" # --transitions-vs / --reads-vs: the scenarios measured side by side
rounds="" # each mode's default below
statistics=""
stats_dir="" stats_mode=""   # --keep DIR / --reuse DIR (statistics only): the seeded cluster outside the throwaway folder
pages=""
phases=""
read_variants=""
profile_dir=""
statements_dir=""
tokens_vs=""
setup_order="before after" # --after-first: the side-by-side runs' setup (migrate, seed, start, warm up), this tree's side first
both_ways=""               # --both-ways: a side-by-side run twice, the second with --swap-clusters, reported together
swap_clusters=""           # --swap-clusters: a side-by-side run creates the before side's cluster first (a check of the harness)
after_env=()               # --after-env NAME=VALUE (repeatable): the after side's API runs with it (a runtime setting against none);
                           # {app_role} in VALUE is the side's own connection string (to append a connection setting)
args=("$@")
while [[ $# -gt 0 ]]; do
  case $1 in
    --statistics) statistics=yes; shift ;;
    --keep|--reuse) stats_mode=${1#--}; stats_dir=$(realpath -m "$2"); shift 2 ;;
    --pages) pages=yes; shift ;;
    --phases) phases=yes; shift ;;
    --read-variants) read_variants=yes; shift ;;
    --profile) profile_dir=$(realpath -m "$2"); shift 2 ;;
    --statements) statements_dir=$(realpath -m "$2"); mkdir -p "$statements_dir"; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --transitions-vs) before=$2; side_scenarios=transition; shift 2 ;;
    --reads-vs) before=$2; side_scenarios="read read-police list"; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --after-first) setup_order="after before"; shift ;;
    --after-env) after_env+=("$2"); shift 2 ;;
    --swap-clusters) swap_clusters=yes; shift ;;
    --both-ways) both_ways=yes; shift ;;
    --tokens-vs) before=$2; tokens_vs=yes; shift 2 ;;
    *) echo "usage: bench/load.sh [--cases 10000|100000] [--duration 15s] | --transitions-vs|--reads-vs COMMIT [--rounds 5] [--duration 15s]" >&2; exit 2 ;;
  esac
done
[[ $cases == 10000 || $cases == 100000 ]] || { echo "--cases is 10000 or 100000" >&2; exit 2; }
if [[ -n $stats_mode ]]; then
  [[ -n $statistics ]] || { echo "--keep and --reuse go with --statistics" >&2; exit 2; }
  if [[ $stats_mode == keep ]]; then [[ ! -e $stats_dir ]] || { echo "--keep $stats_dir: exists already" >&2; exit 2; }
  else [[ -f $stats_dir/sizes ]] || { echo "--reuse $stats_dir: no cluster kept by --keep there" >&2; exit 2; }; fi
fi

if [[ -n $both_ways ]]; then
  # Round sixteen: in A/A runs the side whose cluster (or, in one cluster, whose database) was created first came out
  # ahead by 4-8 % in rate, whichever tree it had, so a comparison runs once each way and reports every round together.
  [[ -n $side_scenarios ]] || { echo "--both-ways goes with --transitions-vs or --reads-vs" >&2; exit 2; }
  passes=$(mktemp -d /tmp/sspf-passes.XXXXXX)
  trap 'rm -rf "$passes"' EXIT
  one_way=(); for a in "${args[@]}"; do [[ $a == --both-ways ]] || one_way+=("$a"); done
  SSPF_BENCH_PASS_DIR="$passes/1" "$0" "${one_way[@]}" || exit 1
  SSPF_BENCH_PASS_DIR="$passes/2" "$0" "${one_way[@]}" --swap-clusters || exit 1
  results="$root/bench/results/$([[ $side_scenarios == transition ]] && echo transitions || echo reads).md"
  for scenario in $side_scenarios; do python3 "$root/bench/load/side_by_side.py" "$passes/1,$passes/2" "$results" "$scenario"; done
  echo "wrote ${results#"$root"/} (both passes: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  exit 0
fi

work=$(mktemp -d /tmp/sspf-load.XXXXXX)
chmod 755 "$work"
pgroot="$work/pg"
[[ -n $stats_dir ]] && pgroot="$stats_dir/pg"
# Each side's cluster (a side-by-side run has two, see below), stopped by cleanup.
declare -A cluster_roots=([after]=$pgroot)
api_pid=""
declare -A tree_pids=()
cleanup() {
  [[ -n "$api_pid" ]] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  for p in "${tree_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  # A kept cluster stops cleanly (fast), so that the next --reuse starts without crash recovery.
  for c in "${cluster_roots[@]}"; do
    if [[ -f "$c/data/postmaster.pid" ]]; then as_postgres "$pgbin/pg_ctl" -D "$c/data" -m "$([[ -n $stats_dir ]] && echo fast || echo immediate)" stop >/dev/null 2>&1 || true; fi
  done
  if [[ -n "${SSPF_BENCH_KEEP:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
step() { echo "[$(date -u +%H:%M:%S)] $*"; }

if [[ ! -x /usr/bin/wrk && -z $statistics && -z $pages ]]; then
  step "installing wrk"
  sudo_=""; [[ $(id -u) -ne 0 ]] && sudo_=sudo
  $sudo_ apt-get install -y wrk >/dev/null 2>&1 || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y wrk >/dev/null; }
fi

# --- build: a copy of the sources, so that the benchmark flag never mixes with the worktree's bin/obj
publish() { # source tree (with Directory.*.props and src/), output folder
  mkdir -p "$work/src-$2"
  (cd "$1" && cp -r Directory.Build.props Directory.Packages.props src "$work/src-$2/")
  find "$work/src-$2" -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
  rm -rf "$work/src-$2/src/SspfSamordning.Api/data"
  dotnet publish "$work/src-$2/src/SspfSamordning.Api" -c Release -p:SspfBench=true --nologo -v q -o "$work/$2" >"$work/publish-$2.log" 2>&1 \
    || { grep -E "error" "$work/publish-$2.log" | sort -u >&2; exit 1; }
}
step "publishing the API (Release, -p:SspfBench=true)"
publish "$root" app
if [[ -n $before ]]; then
  step "publishing $before's API (git archive)"
  mkdir -p "$work/before-tree"
  git -C "$root" archive "$before" | tar -x -C "$work/before-tree"
  publish "$work/before-tree" app-before
fi

# --- PostgreSQL (as in test.sh): a throwaway cluster on a free loopback port
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -n "$pgbin" ]] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
cluster() { # ROOT PORT: initdb (unless --reuse) and start
  if [[ $stats_mode != reuse ]]; then
  mkdir -p "$1"; chmod 755 "$stats_dir" "$1" 2>/dev/null || true; [[ $(id -u) -eq 0 ]] && chown postgres "$1"
  as_postgres "$pgbin/initdb" -D "$1/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$1/initdb.log" 2>&1 \
    || { cat "$1/initdb.log" >&2; exit 1; }
  fi
  # Durable commits (fsync, synchronous_commit) as in production; shared_buffers sized for the 100,000-case database. The
  # log records, in UTC, what can hold requests up (checkpoints, autovacuum, lock waits over a second) for lulls.py.
  as_postgres "$pgbin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c log_timezone=UTC -c log_checkpoints=on -c log_autovacuum_min_duration=0 -c log_lock_waits=on -c shared_preload_libraries=auto_explain${statements_dir:+,pg_stat_statements -c pg_stat_statements.track_planning=on}" start >/dev/null \
    || { cat "$1/server.log" >&2; exit 1; }
}
psql_() { as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
# A side-by-side run gives each side a cluster of its own, made alike (initdb, then CREATE DATABASE sspf): with both
# databases in one cluster the side on the one created first came out ahead in six A/A runs of six (round fifteen).
# --swap-clusters creates the before side's cluster first.
declare -A cluster_ports=([after]=$(free_port))
cluster_order=after
if [[ -n $before ]]; then
  cluster_roots[before]="$work/pg-before" cluster_ports[before]=$(free_port)
  cluster_order="after before"; [[ -n $swap_clusters ]] && cluster_order="before after"
fi
for side in $cluster_order; do
  pgport=${cluster_ports[$side]}
  cluster "${cluster_roots[$side]}" "$pgport"
  [[ $stats_mode == reuse ]] || psql_ -d postgres -c "CREATE DATABASE sspf"
done
pgport=${cluster_ports[after]}
step "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport"

export ASPNETCORE_ENVIRONMENT=Development          # demo users and the relaxed second factor; logging turned down below
export Database__Provider=Postgres
# Database__DataDirectory (per tree, see use_tree): the generated master key and blind-index key, shared by seed and API.
export Logging__LogLevel__Default=Warning
# The per-phase profile (Features/Bench/ReadPhases.cs) only for --phases: its marks and EF's diagnostic events cost CPU
# per request that production does not pay.
[[ -n $phases ]] && export Bench__Phases=true
export Auth__AccessTokenMinutes=60
# The seed computes one blind index per case: at the production 100,000 PBKDF2 iterations (~40 ms each) 100,000 cases
# would take over an hour, so the benchmark uses 100 (see bench/README.md for what that leaves out of search).
export Encryption__BlindIndexIterations=100
# One tree is one published API with its database, data directory, seed ids and port: "after" (this tree: app, sspf) and,
# with --transitions-vs, "before" (app-before, and sspf in the before side's own cluster). use_tree switches the variables
# below to one of them.
declare -A tokens=()
declare -A tree_ports=([after]=$(free_port) [before]=$(free_port))
use_tree() {
  [[ -n ${tree:-} && -n $api_pid ]] && tree_pids[$tree]=$api_pid
  tree=$1
  local suffix=""; [[ $tree == before ]] && suffix="-before"
  app="$work/app$suffix" db=sspf ids="$work/ids$suffix" api_port=${tree_ports[$tree]} api_pid=${tree_pids[$tree]:-}
  pgroot=${cluster_roots[$tree]} pgport=${cluster_ports[$tree]}
  export Database__DataDirectory="$work/data$suffix"
  owner="Host=127.0.0.1;Port=$pgport;Database=$db;Username=postgres"
  # Automatic preparation: parsing and planning were 75 % of PostgreSQL's time per case read (profiled), and the app
  # runs the same few statements over and over (bench/README.md recommends it for production connection strings too).
  # A pool of 10 (round sixteen): with Npgsql's 100, the 50 clients kept 50 backends busy on 2 cores, and PostgreSQL
  # spent 17 % more CPU per read than with 10 connections taking turns (bench/results/load.md).
  app_role="Host=127.0.0.1;Port=$pgport;Database=$db;Username=sspf_app;Maximum Pool Size=10;Max Auto Prepare=64;Auto Prepare Min Usages=2"
}
# The seed dates its cases over the past years and so leaves about two reminders per case due at once; the dispatcher
# would work through that backlog during the scenarios (profiled: it halved case-read throughput and caused most
# transition conflicts). Reminder dispatch has its own benchmark (bench/dispatch.sh); here the scheduler is off.
export Scheduler__Enabled=false
if [[ -n $profile_dir ]]; then
  # --profile: perf resolves the JIT's code through /tmp/perf-PID.map; with W^X the code runs from a second mapping perf
  # cannot name, and precompiled (ReadyToRun) framework code has no map entries — so everything is JIT-compiled here.
  command -v perf >/dev/null || apt-get install -y -q linux-perf >/dev/null
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0
fi

migrate() { # the tree's own migrations and roles script
  step "migrating $db as the owner"
  (cd "$app" && ConnectionStrings__Sspf="$owner" dotnet SspfSamordning.Api.dll --migrate) >"$work/migrate-$tree.log" 2>&1 || { cat "$work/migrate-$tree.log" >&2; exit 1; }
  psql_ -d "$db" -f "$1/db/roles-postgres.sql"
}
seed() {
  step "seeding $1 cases ($db)"
  # The seed builds batches of a thousand whole cases in memory: more than the API's 128 MB heap limit (its project file).
  (cd "$app" && ConnectionStrings__Sspf="$owner" DOTNET_GCHeapHardLimit=0x40000000 dotnet SspfSamordning.Api.dll --bench-seed "$1" --bench-out "$ids") >"$work/seed-$tree-$1.log" 2>&1 || true
  grep -E "Bench seed: $1 " "$work/seed-$tree-$1.log" || { echo "The seed failed:" >&2; tail -20 "$work/seed-$tree-$1.log" >&2; exit 1; }
  psql_ -d "$db" -c "VACUUM ANALYZE"
  # The seed leaves most of shared_buffers dirty; the checkpoint that writes them came minutes later, in the middle of
  # a scenario, and stalled its requests for a second (round sixteen: p95 or p99 of 0.4-1.6 s in one scenario per run).
  psql_ -d "$db" -c "CHECKPOINT"
}

start_api() {
  # The content root is the working directory: appsettings*.json are found in the published folder.
  local extra=(); [[ $tree == after ]] && extra=("${after_env[@]//\{app_role\}/$app_role}")
  # SSPF_BENCH_TIMELINE: the runtime's timeline for lulls.py (Features/Bench/RuntimeTimeline.cs; a tree without it ignores it).
  (cd "$app" && ConnectionStrings__Sspf="$app_role" Database__MigrateOnStart=false ASPNETCORE_URLS="http://127.0.0.1:$api_port" \
    SSPF_BENCH_TIMELINE="$work/timeline-$tree.txt" \
    exec env "${extra[@]}" dotnet SspfSamordning.Api.dll) >"$work/api-$tree.log" 2>&1 &
  api_pid=$!
  tree_pids[$tree]=$api_pid
  for _ in $(seq 1 $(( ${start_seconds:-60} * 2 ))); do
    curl -sf "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$api_pid" 2>/dev/null || { cat "$work/api-$tree.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "The API did not become ready." >&2; cat "$work/api-$tree.log" >&2; exit 1
}
stop_api() { kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null || true; api_pid=""; unset "tree_pids[$tree]"; }
login() { # an OpenIddict reference token (the Development password grant); a tree older than /connect/token: /api/auth/login
  curl -sf "http://127.0.0.1:$api_port/connect/token" -d grant_type=password -d client_id=sspf-dev -d 'scope=sspf_api offline_access' \
    --data-urlencode "username=$1" --data-urlencode 'password=Sspf-demo-2026!' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' \
  || curl -sf "http://127.0.0.1:$api_port/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"Sspf-demo-2026!\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

out="$work/run"; mkdir -p "$out"

if [[ -n $statistics ]]; then
  # The statistics of the whole seeded municipality at 10,000 cases, then grown to $cases (100,000) in the same run
  # (the ratio is what a loaded machine can still show): timed request by request; at the largest size the plans of
  # one request's real SQL (auto_explain, switched on for that request only) and EXPLAIN ANALYZE of the history
  # queries with and without the statistics index; all into bench/results/statistics.md (bench/statistics_bench.py).
  use_tree after
  # --keep/--reuse: the keys (Database__DataDirectory) live with the cluster; each size has its own database, listed
  # in $stats_dir/sizes ("10000 sspf_10000", "100000 sspf"): --keep copies the 10,000-case database before growing.
  use_db() { owner=${owner/Database=$db;/Database=$1;} app_role=${app_role/Database=$db;/Database=$1;} db=$1; }
  [[ -n $stats_dir ]] && export Database__DataDirectory="$stats_dir/data"
  [[ $stats_mode == reuse ]] || migrate "$root"
  explain_on() { psql_ -d postgres -c "ALTER SYSTEM SET auto_explain.log_min_duration = ${1}" -c "ALTER SYSTEM SET auto_explain.log_analyze = on" \
    -c "ALTER SYSTEM SET auto_explain.log_buffers = on" -c "SELECT pg_reload_conf()" >/dev/null; }
  sizes=(10000); [[ $cases == 100000 ]] && sizes+=(100000)
  sections=()
  [[ $stats_mode == reuse ]] && mapfile -t sizes < <(awk '{print $1}' "$stats_dir/sizes")
  for size in "${sizes[@]}"; do
    if [[ $stats_mode == reuse ]]; then
      use_db "$(awk -v s="$size" '$1 == s {print $2}' "$stats_dir/sizes")"
      migrate "$root"   # this build's pending migrations (and the roles script) on the kept data
      psql_ -d "$db" -c "ANALYZE"
    else
      seed "$size"
    fi
    start_api
    analytiker=$(login analytiker@falkenberg.example)
    plans=(); [[ $size == "${sizes[-1]}" ]] && plans=(--explain-on "$(declare -f psql_ as_postgres explain_on); pgbin=$pgbin; pgport=$pgport; explain_on 0" \
      --explain-off "$(declare -f psql_ as_postgres explain_on); pgbin=$pgbin; pgport=$pgport; explain_on -1" --server-log "$pgroot/server.log" \
      --index-sql "$root/bench/statistics_index.sql" --psql "$(declare -f psql_ as_postgres); pgbin=$pgbin; pgport=$pgport; psql_ -d $db")
    step "timing GET /api/statistics at $size cases"
    python3 "$root/bench/statistics_bench.py" --url "http://127.0.0.1:$api_port" --token "$analytiker" --cases "$size" \
      --section "$work/statistics-$size.md" "${plans[@]}"
    sections+=("$work/statistics-$size.md")
    stop_api
    if [[ $stats_mode == keep ]]; then
      if [[ $size != "${sizes[-1]}" ]]; then psql_ -d postgres -c "CREATE DATABASE sspf_$size TEMPLATE sspf"; echo "$size sspf_$size" >>"$stats_dir/sizes"
      else echo "$size sspf" >>"$stats_dir/sizes"; fi
    fi
  done
  python3 "$root/bench/statistics_bench.py" --combine --out "$root/bench/results/statistics.md" "${sections[@]}"
  step "wrote bench/results/statistics.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  exit 0
fi
if [[ -n $pages ]]; then
  # Issue 19: the web pages' speed on the 10,000-case database — each bench user signs in to the web (password and
  # authenticator code) once, then GET /arenden, GET /arenden/{id} and GET /api/cases/{id} (same case, same user),
  # sequentially and at moderate concurrency, into the generated block of bench/results/pages.md (bench/load/pages.py).
  use_tree after
  migrate "$root"
  seed 10000
  start_api
  step "timing the pages against the API"
  python3 "$root/bench/load/pages.py" --url "http://127.0.0.1:$api_port" --ids "$ids" --out "$root/bench/results/pages.md" \
    --commit "$(git -C "$root" rev-parse --short HEAD)"
  stop_api
  step "wrote bench/results/pages.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  exit 0
fi
# CPU time (ms, user + system, from /proc) of the API process and of PostgreSQL (the postmaster and its backends): read
# before and after each measured scenario, so that report.py can give CPU per request — steadier than requests/s on a
# shared machine, since it counts the work done rather than the share of the cores the run happened to get. Fields 14-15
# are the process's own user and system time, 16-17 its reaped children's: a backend that exits during a measurement (a
# pooled connection closed after its idle lifetime) leaves its time in the postmaster's, not out of the sum (round seventeen).
clk_tck=$(getconf CLK_TCK)
cpu_ms() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $((t * 1000 / clk_tck)); }
pg_pids() { local pm; pm=$(head -1 "$pgroot/data/postmaster.pid"); echo "$pm" $(pgrep -P "$pm" || true); }
# Peak resident set of the API while one scenario runs, in kB.
sample_rss() { local peak=0 v; while kill -0 "$api_pid" 2>/dev/null; do
  v=$(awk '/^VmRSS/{print $2}' "/proc/$api_pid/status" 2>/dev/null || echo 0); (( v > peak )) && peak=$v && echo "$peak" >"$1"; sleep 0.2; done; }
# One request of the scenario by curl first: a scenario that only produces errors stops the run with the answer.
probe() {
  local mode=$1 token=$2 id=$3 url="http://127.0.0.1:$api_port" args=()
  [[ -n $token ]] && args=(-H "$([[ $mode == secure ]] && echo x-bench-token || echo authorization): Bearer $token")
  case $mode in
    baseline) url+="/bench/baseline/$id" ;;
    secure) url+="/bench/secure/$id" ;;
    read) url+="/api/cases/$id" ;;
    list) url+="/api/cases?page=1&pageSize=25" ;;
    search) url+="/api/cases/search-by-personnummer"; args+=(-H 'content-type: application/json' -d "{\"personnummer\":\"$id\"}") ;;
    create) url+="/api/cases"; args+=(-H 'content-type: application/json' -d "$(probe_case)") ;;
    transition) return 0 ;;
  esac
  local status; status=$(curl -s -o "$work/probe.json" -w '%{http_code}' "${args[@]}" "$url")
  [[ $status == 2* ]] || { echo "$mode: HTTP $status $(head -c 600 "$work/probe.json")" >&2; tail -30 "$work/api-$tree.log" >&2; exit 1; }
}
# The create scenario's probe opens a case for a youth born 2017-01-01 (scenario.lua's own requests use 2015-2016), a
# different serial number per probe, with the Luhn check digit over YYMMDDNNN.
probes=0
probe_case() {
  probes=$((probes + 1))
  local pnr; pnr=$(python3 -c 'import sys
d="170101%03d" % int(sys.argv[1]); s=sum((lambda v: v - 9 if v > 9 else v)(int(c) * (2 - i % 2)) for i, c in enumerate(d))
print("2017" + d[2:6] + "-" + d[6:] + str((10 - s % 10) % 10))' "$probes")
  echo "{\"municipalityId\":\"$municipality\",\"youth\":{\"personnummer\":\"$pnr\",\"givenName\":\"Bench\",\"familyName\":\"Prov\"},\"guardians\":[],\"signalCategory\":\"SchoolAbsence\",\"proposedParties\":[\"Skola\"]}"
}
# Every wrk run of the create scenario against one database takes the next block of personnummer (SSPF_RUN, 0-4).
create_run=0
next_create_run() { export SSPF_RUN=$create_run; create_run=$((create_run + 1)); }
warm_up() { # the scenarios of this API start, unmeasured (the transition on cases of its own, see BenchSeed)
  step "warming up the API (${startup_warmup} per scenario)"
  local mode token idfile
  for spec in "read:$samordnare:cases.txt" "read:$polis:police-cases.txt" "list:$samordnare:cases.txt" "search:$samordnare:personnummer.txt" \
              "transition:$samordnare:transition-warmup-cases.txt" "create:$samordnare:cases.txt" "baseline::cases.txt" \
              "secure:$samordnare:cases.txt"; do
    IFS=: read -r mode token idfile <<<"$spec"
    [[ ($mode == transition || $mode == create) && $1 != 10000 ]] && continue
    [[ $mode == create ]] && next_create_run
    SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS="$ids/$idfile" SSPF_THREADS=$threads \
      wrk -t$threads -c$connections -d$startup_warmup -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >/dev/null
  done
}
scenario() { # size name mode token idsfile [warm]
  local size=$1 name=$2 mode=$3 token=$4 idfile=$5 warm=${6:-yes}
  export SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS=$idfile SSPF_THREADS=$threads
  probe "$mode" "$token" "$(head -1 "$idfile")"
  [[ $mode == create && $warm == yes ]] && next_create_run
  if [[ $warm == yes ]]; then wrk -t$threads -c$connections -d$warmup -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >/dev/null; fi
  [[ $mode == create ]] && next_create_run
  echo 0 >"$out/$size-$name.rss"
  local api0 pg0; api0=$(cpu_ms "$api_pid"); pg0=$(cpu_ms $(pg_pids))
  sample_rss "$out/$size-$name.rss" & local sampler=$!
  # --statements: the statements of the measured run only (calls, execution and planning time, plans made, rows).
  [[ -n $statements_dir ]] && psql_ -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1
  # wrk's timeout (2 s by default) counts a slower answer as an error without its latency; case creation at production's
  # PBKDF2 cost took seconds under load (issue 23 item 21), so its latency is measured up to 30 s.
  local timeout=2s; [[ $mode == create ]] && timeout=30s
  local started; started=$(date +%s%3N)
  wrk -t$threads -c$connections -d"$duration" --timeout "$timeout" --latency -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$out/$size-$name.wrk"
  echo "$started $(date +%s%3N)" >"$out/$size-$name.window"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  echo "$(( $(cpu_ms "$api_pid") - api0 )) $(( $(cpu_ms $(pg_pids)) - pg0 ))" >"$out/$size-$name.cpu"
  [[ -n $statements_dir ]] && psql_ -d "$db" -c "SELECT calls, round(total_exec_time::numeric, 1) AS exec_ms, round(total_plan_time::numeric, 1) AS plan_ms,
      plans, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 300) AS statement FROM pg_stat_statements
      ORDER BY total_exec_time + total_plan_time DESC LIMIT 25" >"$statements_dir/$size-$name.txt"
  step "$size $name: $(grep -E '^Requests/sec' "$out/$size-$name.wrk" | awk '{print $2}') req/s, $(grep -oE '"p99":[0-9]+' "$out/$size-$name.wrk" | cut -d: -f2) µs p99, $(grep -oE '"non2xx":[0-9]+' "$out/$size-$name.wrk" | cut -d: -f2) non-2xx"
}

side_run() { # scenario side duration output: one wrk run of a side-by-side scenario on the tree use_tree chose
  local mode=$1 token=${tokens[$2]} idfile="$ids/cases.txt" timeout=2s
  case $1 in
    transition)
      # The cases' states as the previous run left them (a request cut off at its end may or may not have committed).
      psql_ -d "$db" -At -F ' ' -c "SELECT \"Id\", \"State\" FROM \"Cases\" WHERE \"Id\" = ANY ('{$(paste -sd, "$ids/transition-cases.txt")}'::uuid[])" \
        >"$ids/transition-states.txt"
      # The warm-up on cases of its own; a 30 s timeout: on a loaded machine a cut-off request has no latency and may still commit.
      idfile="$ids/transition-states.txt" timeout=30s
      [[ $4 == /dev/null ]] && idfile="$ids/transition-warmup-cases.txt" ;;
    read-police) mode=read token=${police[$2]} idfile="$ids/police-cases.txt" ;;
  esac
  SSPF_MODE=$mode SSPF_TOKEN=$token SSPF_IDS="$idfile" SSPF_THREADS=$threads \
    wrk -t$threads -c$connections -d"$3" --timeout "$timeout" --latency -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$4"
}
rounds=${rounds:-$([[ -n $read_variants ]] && echo 2 || { [[ -n $tokens_vs || $side_scenarios == read* ]] && echo 3 || echo 5; })}
duration=${duration:-$([[ -n $read_variants || -n $phases ]] && echo 10s || echo 15s)}
if [[ -n $tokens_vs ]]; then source "$root/bench/load/tokens.sh"; exit 0; fi
if [[ -n $before ]]; then
  # --- COMMIT's tree against this one (--transitions-vs: the transition; --reads-vs: the reads and the list): both APIs
  # run side by side on their own databases in the same cluster and take turns, each round in the other order; a
  # round of transitions starts every case from its current state.
  declare -A police=()
  for side in $setup_order; do
    use_tree $side
    if [[ $side == before ]]; then migrate "$work/before-tree"; else migrate "$root"; fi
    seed 10000
    start_api
    tokens[$side]=$(login samordnare@falkenberg.example)
    police[$side]=$(login polis@falkenberg.example)
    for scenario in $side_scenarios; do
      step "warming up the $side API (${startup_warmup} of $scenario)"
      side_run "$scenario" "$side" "$startup_warmup" /dev/null
    done
  done
  for round in $(seq 1 "$rounds"); do
    order="before after"; (( round % 2 == 0 )) && order="after before"
    for scenario in $side_scenarios; do
      for side in $order; do
        use_tree $side
        run="$out/$round-$scenario-$side"
        # API and PostgreSQL CPU (ms) and the API's peak RSS over the round (issue 22: CPU per request is steadier than
        # requests/s on a shared machine; the other API idles meanwhile).
        echo 0 >"$run.rss"; sample_rss "$run.rss" & rss_sampler=$!
        api0=$(cpu_ms "$api_pid"); pg0=$(cpu_ms $(pg_pids))
        side_run "$scenario" "$side" "$duration" "$run.wrk"
        echo "$(( $(cpu_ms "$api_pid") - api0 )) $(( $(cpu_ms $(pg_pids)) - pg0 ))" >"$run.cpu"
        kill "$rss_sampler" 2>/dev/null; wait "$rss_sampler" 2>/dev/null || true
        step "round $round $scenario $side: $(grep -E '^Requests/sec' "$run.wrk" | awk '{print $2}') req/s, $(grep -oE '"non2xx":[0-9]+' "$run.wrk" | cut -d: -f2) non-2xx"
      done
    done
  done
  cat >"$out/run.json" <<JSON
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "cores": $(nproc), "host": "$(uname -m)", "dotnet": "$(dotnet --version)",
 "postgres": "$("$pgbin/postgres" --version | awk '{print $3}')", "connections": $connections, "duration": "$duration",
 "startup_warmup": "$startup_warmup", "rounds": $rounds, "before": "$before", "after": "$(git -C "$root" rev-parse --short HEAD)", "setup_order": "$setup_order", "clusters": "per side", "cluster_order": "$cluster_order", "after_env": $(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${after_env[@]}"),
 "loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)"}
JSON
  # One pass of --both-ways: its rounds are kept for the report of both passes.
  if [[ -n ${SSPF_BENCH_PASS_DIR:-} ]]; then cp -r "$out" "$SSPF_BENCH_PASS_DIR"; step "pass done"; exit 0; fi
  results="$root/bench/results/$([[ $side_scenarios == transition ]] && echo transitions || echo reads).md"
  for scenario in $side_scenarios; do python3 "$root/bench/load/side_by_side.py" "$out" "$results" "$scenario"; done
  step "wrote ${results#"$root"/} (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  exit 0
fi

use_tree after
migrate "$root"
seed 10000
municipality=$(psql_ -d "$db" -At -c "SELECT \"Id\" FROM \"Municipalities\" WHERE \"Code\" = '1382'")
export SSPF_MUNICIPALITY=$municipality
start_api
samordnare=$(login samordnare@falkenberg.example)
polis=$(login polis@falkenberg.example)
warm_up 10000
if [[ -n $phases ]]; then source "$root/bench/load/phases.sh"; exit 0; fi # --phases: its own scenarios on this setup
if [[ -n $read_variants ]]; then source "$root/bench/load/read_variants.sh"; exit 0; fi
if [[ -n $profile_dir ]]; then source "$root/bench/load/profile.sh"; exit 0; fi # --profile: perf's CPU profile per scenario # --read-variants: the read's aggregate query
scenario 10000 baseline baseline "" "$ids/cases.txt"
scenario 10000 secure secure "$samordnare" "$ids/cases.txt"
scenario 10000 read read "$samordnare" "$ids/cases.txt"
scenario 10000 read-police read "$polis" "$ids/police-cases.txt"
scenario 10000 list list "$samordnare" "$ids/cases.txt"
scenario 10000 search search "$samordnare" "$ids/personnummer.txt"
scenario 10000 transition transition "$samordnare" "$ids/transition-cases.txt" no
# Case creation (issue 23 item 21): every request opens a case for a youth nobody has a case for — the number lock of
# the municipality serialises the openings. First at the benchmark's 100 PBKDF2 iterations, then, on an API restarted
# with production's 100,000, the same with the blind index's real cost (computed before the lock).
scenario 10000 create create "$samordnare" "$ids/cases.txt"
stop_api
Encryption__BlindIndexIterations=100000 start_api
samordnare=$(login samordnare@falkenberg.example)
scenario 10000 create-pbkdf2 create "$samordnare" "$ids/cases.txt"
sizes="10000"
if [[ $cases == 100000 ]]; then
  stop_api
  seed 100000
  start_api
  samordnare=$(login samordnare@falkenberg.example)
  polis=$(login polis@falkenberg.example)
  warm_up 100000
  scenario 100000 baseline baseline "" "$ids/cases.txt"
  scenario 100000 secure secure "$samordnare" "$ids/cases.txt"
  scenario 100000 list list "$samordnare" "$ids/cases.txt"
  scenario 100000 search search "$samordnare" "$ids/personnummer.txt"
  sizes="10000, 100000"
  # The plans behind list and search at 100,000 cases (the same SQL as EF's, by hand), for bench/results/load-explain.txt.
  m="(SELECT \"Id\" FROM \"Municipalities\" WHERE \"Code\" = '1382')"
  {
    echo "-- list page 5 (samordnare)"
    psql_ -d sspf -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM \"Cases\" WHERE \"MunicipalityId\" = $m ORDER BY \"OpenedAt\" DESC, \"Id\" LIMIT 25 OFFSET 100"
    echo "-- list count as the app counts it: up to Cases:ListCountLimit + 1 rows (samordnare)"
    psql_ -d sspf -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*)::int FROM (SELECT 1 FROM \"Cases\" WHERE \"MunicipalityId\" = $m LIMIT 1001) t"
    echo "-- an exact count, for comparison (what the list did before the limit)"
    psql_ -d sspf -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*)::int FROM \"Cases\" WHERE \"MunicipalityId\" = $m"
    echo "-- search: the blind-index bucket"
    psql_ -d sspf -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM \"Cases\" WHERE \"MunicipalityId\" = $m AND \"YouthPersonnummerIndex\" = '0a1'"
    echo "-- data keys of a list page"
    psql_ -d sspf -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM \"DataKeys\" WHERE \"OwnerId\" IN (SELECT \"Id\" FROM \"Cases\" WHERE \"MunicipalityId\" = $m ORDER BY \"OpenedAt\" DESC, \"Id\" LIMIT 25 OFFSET 100)"
  } >"$root/bench/results/load-explain.txt" 2>&1
fi

cat >"$out/run.json" <<JSON
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "cores": $(nproc), "host": "$(uname -m)", "dotnet": "$(dotnet --version)",
 "postgres": "$("$pgbin/postgres" --version | awk '{print $3}')", "connections": $connections, "duration": "$duration",
 "warmup": "$warmup", "startup_warmup": "$startup_warmup", "sizes": [$sizes]}
JSON
cp "$work/timeline-after.txt" "$out/timeline.txt" 2>/dev/null || true; cp "$pgroot/server.log" "$out/server.log"
python3 "$root/bench/load/report.py" "$out" "$root/bench/results/load.md"
step "wrote bench/results/load.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
