# Sourced by `bench/load.sh --tokens-vs COMMIT` (issue 18): what a sign-in and a token validation cost, the first-party
# tokens of COMMIT's tree (TokenService, Data Protection, /api/auth/login) against OpenIddict's reference tokens
# (/connect/token) — COMMIT's tree serves both, this tree only the reference tokens. Uses load.sh's functions (use_tree,
# migrate, start_api, cpu_ms, pg_pids) and variables; writes bench/results/tokens.md (bench/load/tokens.py).
# Each measurement is one wrk run of bench/load/tokens.lua:
#   me-*     GET /api/me, 50 connections, one token: the token check + the session check + the endpoint's two reads
#   login-*  sign-ins of samordnare@ with the demo password, 8 connections (the password hash is the cost; at 50
#            connections every request would wait for seconds), as the real hashing (100,000 PBKDF2 iterations) does it
# The rounds alternate the order. CPU of the API process and of PostgreSQL is read around every run, so that
# report gives CPU per request as well as requests/s (steadier on a shared machine).
# No sign-in may be refused by the per-address or per-account rate limits during the run.
export RateLimiting__AuthPermitLimit=100000000 RateLimiting__AccountPermitLimit=100000000
login_connections=8
# Both APIs start while the other one already runs; on a loaded machine the demo seed's password hashing alone took
# over a minute (load.sh waits 60 s by default).
start_seconds=300

legacy_login() { # COMMIT's first-party login (JSON); the reference token comes from load.sh's login (the password grant)
  curl -sf "http://127.0.0.1:$api_port/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"Sspf-demo-2026!\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}
declare -A token_of=()
for side in before after; do
  use_tree $side
  if [[ $side == before ]]; then migrate "$work/before-tree"; else migrate "$root"; fi
  start_api
  token_of[$side-reference]=$(login samordnare@falkenberg.example)
  [[ $side == before ]] && token_of[before-session]=$(legacy_login samordnare@falkenberg.example)
done

# name tree mode token connections
variants=(
  "me-session before me before-session 50"
  "me-reference-before before me before-reference 50"
  "me-reference after me after-reference 50"
  "login-json before login-json - $login_connections"
  "login-connect-before before login-connect - $login_connections"
  "login-connect after login-connect - $login_connections"
)
tokens_run() { # name tree mode token connections length output
  local name=$1 side=$2 mode=$3 token=${token_of[$4]:-} conns=$5 length=$6 result=$7
  use_tree "$side"
  local api0 pg0; api0=$(cpu_ms "$api_pid"); pg0=$(cpu_ms $(pg_pids))
  SSPF_MODE=$mode SSPF_TOKEN=$token wrk -t$threads -c"$conns" -d"$length" --timeout 30s --latency -s "$root/bench/load/tokens.lua" \
    "http://127.0.0.1:$api_port" >"$result"
  echo "$(( $(cpu_ms "$api_pid") - api0 )) $(( $(cpu_ms $(pg_pids)) - pg0 ))" >"$result.cpu"
}
step "warming up both APIs (${startup_warmup} per variant)"
for v in "${variants[@]}"; do tokens_run $v "$startup_warmup" "$work/warmup.wrk"; done
for round in $(seq 1 "$rounds"); do
  order=("${variants[@]}")
  (( round % 2 == 0 )) && order=("${variants[5]}" "${variants[4]}" "${variants[3]}" "${variants[2]}" "${variants[1]}" "${variants[0]}")
  for v in "${order[@]}"; do
    set -- $v
    tokens_run $v "$duration" "$out/$round-$1.wrk"
    grep -q '^RESULT' "$out/$round-$1.wrk" || { cat "$out/$round-$1.wrk" >&2; exit 1; }
    step "round $round $1: $(grep -E '^Requests/sec' "$out/$round-$1.wrk" | awk '{print $2}') req/s, $(grep -oE '"non2xx":[0-9]+' "$out/$round-$1.wrk" | cut -d: -f2) non-2xx, CPU api/pg ms $(cat "$out/$round-$1.wrk.cpu")"
  done
done
# What each token kind costs in PostgreSQL: the statements one GET /api/me runs, per token kind (pg_stat_statements is
# not loaded; the count of statements comes from the server log of one request each, with log_statement=all).
for kind in before-session before-reference after-reference; do
  side=${kind%%-*}; use_tree "$side"
  psql_ -d postgres -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5
  mark=$(wc -l <"$pgroot/server.log")
  curl -sf -o /dev/null -H "authorization: Bearer ${token_of[$kind]}" "http://127.0.0.1:$api_port/api/me"
  sleep 0.5
  psql_ -d postgres -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
  tail -n +"$((mark + 1))" "$pgroot/server.log" | grep -cE 'duration: .* (statement|execute)' >"$out/statements-$kind" || true
  tail -n +"$((mark + 1))" "$pgroot/server.log" | grep -E 'duration: .* (statement|execute)' | sed -E 's/.*(statement|execute [^:]*): //' | cut -c1-160 >"$out/statements-$kind.sql" || true
done
cat >"$out/run.json" <<JSON
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "cores": $(nproc), "host": "$(uname -m)", "dotnet": "$(dotnet --version)",
 "postgres": "$("$pgbin/postgres" --version | awk '{print $3}')", "duration": "$duration", "startup_warmup": "$startup_warmup",
 "rounds": $rounds, "before": "$before", "after": "$(git -C "$root" rev-parse --short HEAD)", "login_connections": $login_connections,
 "clusters": "per side", "loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)"}
JSON
python3 "$root/bench/load/tokens.py" "$out" "$root/bench/results/tokens.md"
step "wrote bench/results/tokens.md (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
