#!/usr/bin/env bash
# Runs `dotnet ef` for one provider's migration set, e.g.
#   db/ef.sh Sqlite migrations add AddCases
#   db/ef.sh Postgres migrations add AddCases
#   db/ef.sh SqlServer migrations add AddCases
#   db/ef.sh all migrations add AddCases      # all three sets, same name
#   db/ef.sh scripts                          # regenerate db/migrations-*.sql (for operators)
#
# Plain `dotnet ef` (the repository's local tool, .config/dotnet-tools.json) with the API as both project and startup
# project: it references Microsoft.EntityFrameworkCore.Design (design time only, not published), and each provider's
# context has a design-time factory (Infrastructure/Persistence/Database.cs), so no database or configuration is needed.
# The script only picks the context and the output folder of each provider's migration set.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
api="$root/src/SspfSamordning.Api"

cd "$root"
dotnet tool restore >/dev/null
ef() { # provider args...
  local provider=$1; shift
  dotnet ef "$@" --project "$api" --startup-project "$api" --context "${provider}SspfDbContext"
}
case "${1:-}" in
  Sqlite|Postgres|SqlServer)
    provider=$1; shift
    if [[ "${1:-} ${2:-}" == "migrations add" ]]; then
      ef "$provider" "$@" --output-dir "Infrastructure/Persistence/Migrations/$provider"
    else
      ef "$provider" "$@"
    fi ;;
  all)
    shift
    "$0" Sqlite "$@"
    "$0" Postgres "$@"
    "$0" SqlServer "$@" ;;
  scripts)
    # PostgreSQL and SQL Server: idempotent (safe to run on a database at any earlier migration).
    # SQLite: EF cannot make idempotent SQLite scripts; this one creates the schema from empty.
    ef Postgres migrations script --idempotent --output "$root/db/migrations-postgres.sql"
    ef SqlServer migrations script --idempotent --output "$root/db/migrations-sqlserver.sql"
    ef Sqlite migrations script --output "$root/db/migrations-sqlite.sql" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
