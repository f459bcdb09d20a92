# bench/load.sh --profile DIR (issue 22), sourced by bench/load.sh after its setup of the 10,000-case part (published
# bench build, PostgreSQL cluster, seed, API started with perf maps, demo users logged in, warm-up): for the case read
# (samordnare, police member), the list, the transition Close/Reopen and the case creation under 50 clients, samples
# the API's CPU with perf (cpu-clock, call graphs, 499 Hz) for 10 s in the middle of a 14 s wrk run and writes, per
# scenario, perf's reports to DIR: <name>.self.txt (where the CPU is spent: method, self %) and <name>.children.txt
# (inclusive %: which call paths cost the most). Not committed: a profile is the evidence for the next change; the
# results are the tables that load.sh writes. Profiling slows the API (JIT-only code, sampling): compare shares, not rates.
mkdir -p "$profile_dir"
profile_run() { # name mode token idsfile
  local name=$1
  [[ $2 == create ]] && next_create_run
  SSPF_MODE=$2 SSPF_TOKEN=$3 SSPF_IDS=$4 SSPF_THREADS=$threads \
    wrk -t$threads -c$connections -d14s --timeout 30s -s "$root/bench/load/scenario.lua" "http://127.0.0.1:$api_port" >"$out/$name.wrk" &
  local load=$!
  sleep 2
  perf record -q -e cpu-clock -F 499 -g -p "$api_pid" -o "$out/$name.perf" -- sleep 10 >/dev/null 2>&1
  wait "$load"
  perf report -i "$out/$name.perf" --no-children --sort symbol --stdio -g none --percent-limit 0.3 2>/dev/null | sed -E 's/ +(- +- *)?$//' | grep -v '^$' >"$profile_dir/$name.self.txt"
  perf report -i "$out/$name.perf" --children --sort symbol --stdio -g none --percent-limit 2 2>/dev/null | sed -E 's/ +(- +- *)?$//' | grep -v '^$' >"$profile_dir/$name.children.txt"
  [[ -n ${SSPF_PROFILE_READ_VARIANTS:-} ]] && cp "$out/$name.perf" "$profile_dir/" # kept for finer reports (perf report -i; the JIT's map stays in /tmp)
  step "$name: $(grep -E '^Requests/sec' "$out/$name.wrk" | awk '{print $2}') req/s while profiled, $(grep -c . "$profile_dir/$name.self.txt") lines in $profile_dir/$name.self.txt"
}
if [[ -n ${SSPF_PROFILE_READ_VARIANTS:-} ]]; then
  # Only the samordnare's case read, once per named variant of bench/load.sh --read-variants ("secure" is the secure
  # baseline; the others are switched with PUT /bench/read-variant/{v}): e.g. what the floor "free" spends beyond it.
  for v in $SSPF_PROFILE_READ_VARIANTS; do
    if [[ $v == secure ]]; then profile_run "read-$v" secure "$samordnare" "$ids/cases.txt"
    else
      curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/$v" >/dev/null
      profile_run "read-$v" read "$samordnare" "$ids/cases.txt"
    fi
  done
  curl -sf -X PUT "http://127.0.0.1:$api_port/bench/read-variant/app" >/dev/null
  step "profiles in $profile_dir (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  return 0
fi
profile_run read read "$samordnare" "$ids/cases.txt"
profile_run read-police read "$polis" "$ids/police-cases.txt"
profile_run list list "$samordnare" "$ids/cases.txt"
# Each case starts from the state the previous runs left it in (as --phases does).
psql_ -d "$db" -At -F ' ' -c "SELECT \"Id\", \"State\" FROM \"Cases\" WHERE \"Id\" = ANY ('{$(paste -sd, "$ids/transition-cases.txt")}'::uuid[])" \
  >"$out/transition-states.txt"
profile_run transition transition "$samordnare" "$out/transition-states.txt"
profile_run create create "$samordnare" "$ids/cases.txt"
step "profiles in $profile_dir (whole run: $((SECONDS / 60)) min $((SECONDS % 60)) s)"
