#!/usr/bin/env bash
# Workflow transitions per second, the domain before and after the Stateless swap, alternating in one run.
#   bench/workflows.sh [BEFORE_COMMIT] [--out FILE]     (default: 9386bdb, the last commit on the in-house engine)
# Builds the bench twice — from this tree and from BEFORE_COMMIT (git archive into a temporary folder, built with
# -p:SspfLegacyDomain=true) — then runs the domain part of each alternately, five times, and reports the medians and
# their ratio; then the engine comparison (in-house vs Stateless per call vs Stateless configured once) of this tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="9386bdb"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) before="$1"; shift ;;
  esac
done
tmp="$(mktemp -d /tmp/sspf-wfbench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$before" | tar -x -C "$tmp"
# The before tree gets this tree's workflow bench code, so both sides measure exactly the same operations; it keeps
# its own DispatchBench.cs, which belongs to that tree's scheduler (Quartz before 9386bdb's successors moved to Hangfire).
for f in "$root"/bench/SspfSamordning.Bench/*.cs "$root"/bench/SspfSamordning.Bench/SspfSamordning.Bench.csproj; do
  [[ $(basename "$f") == DispatchBench.cs ]] || cp "$f" "$tmp/bench/SspfSamordning.Bench/"
done
cp -r "$root"/bench/SspfSamordning.Bench/Legacy "$tmp/bench/SspfSamordning.Bench/"
dotnet build "$tmp/bench/SspfSamordning.Bench" -c Release -v q -p:SspfLegacyDomain=true -o "$tmp/out-before" >/dev/null
dotnet build "$root/bench/SspfSamordning.Bench" -c Release -v q -o "$tmp/out-after" >/dev/null

declare -a bt bq at aq
for i in 1 2 3 4 5; do
  for side in before after; do
    line="$(SSPF_BENCH_PART=domain dotnet "$tmp/out-$side/SspfSamordning.Bench.dll" workflows | grep '^domain transitions/s')"
    t="$(sed -E 's/.*transitions\/s: ([0-9]+);.*/\1/' <<<"$line")"
    q="$(sed -E 's/.*queries\/s: ([0-9]+).*/\1/' <<<"$line")"
    if [[ $side == before ]]; then bt+=("$t"); bq+=("$q"); else at+=("$t"); aq+=("$q"); fi
    echo "round $i $side: $t transitions/s, $q queries/s" >&2
  done
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
report="$(cat <<MD
# Workflows: transitions per second, before and after the Stateless swap

Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/workflows.sh $before\`, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end
(the machine is shared with other builds and test runs today: single timings are noisy, compare the ratios). The domain
part of each side ran five times, alternating before/after; medians of the five.

| domain (a case's meeting: Reschedule + Schedule + Cancel; permitted triggers of the case and the meeting) | before ($before, in-house) | after (Stateless) | after ÷ before |
|---|---:|---:|---:|
| transitions / s | $(median "${bt[@]}") | $(median "${at[@]}") | $(awk "BEGIN{printf \"%.2f\", $(median "${at[@]}")/$(median "${bt[@]}")}") |
| permitted-trigger queries / s | $(median "${bq[@]}") | $(median "${aq[@]}") | $(awk "BEGIN{printf \"%.2f\", $(median "${aq[@]}")/$(median "${bq[@]}")}") |

Every round: before $(printf '%s ' "${bt[@]}")/ after $(printf '%s ' "${at[@]}")transitions/s.

## Engines on the case's table, this tree, one process
$(dotnet "$tmp/out-after/SspfSamordning.Bench.dll" workflows | sed -n '/^| engine/,$p')
MD
)"
echo "$report"
if [[ -n "$out" ]]; then printf '%s\n' "$report" > "$out"; fi
