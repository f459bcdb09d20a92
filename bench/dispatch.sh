#!/usr/bin/env bash
# Runs the reminder dispatch benchmark on a throwaway PostgreSQL cluster (started here on a free loopback port and
# stopped whatever happens), writing bench/results/dispatch.md. Without PostgreSQL's binaries it runs on SQLite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -n "$pgbin" ]]; then
  pgroot=$(mktemp -d /tmp/sspf-bench-pg.XXXXXX)
  trap 'as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgroot"' EXIT
  chmod 755 "$pgroot"
  [[ $(id -u) -eq 0 ]] && chown postgres "$pgroot"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  as_postgres "$pgbin/initdb" -D "$pgroot/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w -t 60 \
    -o "-p $port -k $pgroot -c listen_addresses=127.0.0.1" start >/dev/null
  export SSPF_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
fi
dotnet run -c Release --project bench/SspfSamordning.Bench -- dispatch --out bench/results/dispatch.md
