#!/usr/bin/env bash
# Runs every test of the solution: the domain tests once, the API tests against SQLite and against a
# throwaway PostgreSQL cluster started here on a free loopback port (and stopped whatever happens), and against
# SQL Server when SSPF_TEST_SQLSERVER names one (none can be installed here; the SQL Server checks that need no
# server — scripts parsed with Microsoft's T-SQL parser, the model and its migrations — run in every API run).
# The last line sums up every run: "N passed, N failed[, N skipped]". Exit code 0 only if all passed.
#
# Environment: SSPF_TEST_FILTER passes a filter to `dotnet test` (e.g. "FullyQualifiedName~Auth").
# SSPF_TEST_SQLSERVER: a SQL Server connection string of a login that may create databases and logins, e.g.
#   "Server=tcp:sql.example,1433;User ID=sa;Password=...;Encrypt=True;TrustServerCertificate=False"
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
results=$(mktemp -d)
pgroot=""

cleanup() {
  if [[ -n "$pgroot" && -f "$pgroot/data/postmaster.pid" ]]; then
    as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  [[ -n "$pgroot" ]] && rm -rf "$pgroot"
  rm -rf "$results"
}
trap cleanup EXIT

as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_postgres() {
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z "$pgbin" ]]; then echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; return 1; fi
  pgroot=$(mktemp -d /tmp/sspf-pg.XXXXXX)
  chmod 755 "$pgroot"
  [[ $(id -u) -eq 0 ]] && chown postgres "$pgroot"
  pgport=$(free_port)
  as_postgres "$pgbin/initdb" -D "$pgroot/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pgroot/initdb.log" 2>&1 \
    || { cat "$pgroot/initdb.log" >&2; return 1; }
  as_postgres "$pgbin/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w -t 60 \
    -o "-p $pgport -k $pgroot -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$pgroot/server.log" >&2; return 1; }
  export SSPF_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Include Error Detail=true"
  # The app under test connects as the application role of db/roles-postgres.sql (no UPDATE/DELETE on the access
  # log); the test factory migrates each database as the owner (postgres) and applies that script first.
  as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE sspf_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" >/dev/null || return 1
  export SSPF_TEST_POSTGRES_APP_ROLE=sspf_app
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport"
}

run_tests() { # name project [env...]
  local name=$1 project=$2; shift 2
  echo "=== $name"
  local filter=()
  [[ -n "${SSPF_TEST_FILTER:-}" ]] && filter=(--filter "$SSPF_TEST_FILTER")
  env "$@" dotnet test "$project" --no-build -c Release "${filter[@]}" \
    --logger "trx;LogFileName=$results/$name.trx" 2>&1 | tee "$results/$name.log" | grep -vE '^\s*$'
}

echo "=== build"
if ! dotnet build SspfSamordning.sln -c Release --nologo -v q >"$results/build.log" 2>&1; then
  grep -E "error" "$results/build.log" | sort -u
  echo "0 passed, 1 failed"
  exit 1
fi

run_tests domain tests/SspfSamordning.Domain.Tests
# The web interface in Debian's chromium (never a downloaded browser), with axe on every page visited.
run_tests web-browser tests/SspfSamordning.Web.Tests
run_tests api-sqlite tests/SspfSamordning.Api.Tests SSPF_TEST_DATABASE=Sqlite
if start_postgres; then
  run_tests api-postgres tests/SspfSamordning.Api.Tests SSPF_TEST_DATABASE=Postgres
else
  echo "api-postgres: could not start PostgreSQL" > "$results/api-postgres.log"
  touch "$results/postgres-failed"
fi

runs="domain web-browser api-sqlite api-postgres"
if [[ -n "${SSPF_TEST_SQLSERVER:-}" ]]; then
  run_tests api-sqlserver tests/SspfSamordning.Api.Tests SSPF_TEST_DATABASE=SqlServer
  runs="$runs api-sqlserver"
else
  echo "SQL Server: skipped (SSPF_TEST_SQLSERVER not set)"
fi

# Sum the TRX result counters of every run; a run that produced no TRX counts as one failure.
python3 - "$results" $runs <<'PY'
import sys, os, glob, xml.etree.ElementTree as ET
d = sys.argv[1]
passed = failed = skipped = 0
for name in sys.argv[2:]:
    trx = os.path.join(d, name + ".trx")
    if not os.path.exists(trx):
        print(f"{name}: no test results", file=sys.stderr); failed += 1; continue
    c = ET.parse(trx).getroot().find(".//{*}Counters")
    p, f = int(c.get("passed")), int(c.get("failed")) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s = int(c.get("total")) - int(c.get("executed"))
    if int(c.get("total")) == 0: f += 1
    print(f"{name}: {p} passed, {f} failed" + (f", {s} skipped" if s else ""))
    passed += p; failed += f; skipped += s
open(os.path.join(d, "failed"), "w").write(str(failed))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
[[ "$(cat "$results/failed")" == "0" ]]
