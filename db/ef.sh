#!/usr/bin/env bash
# Runs `dotnet ef` for one provider's migration set, e.g.
#   db/ef.sh Sqlite migrations add AddCases
#   db/ef.sh Postgres migrations add AddCases
#   db/ef.sh all migrations add AddCases      # both sets, same name
#   db/ef.sh scripts                          # regenerate db/migrations-*.sql (for operators)
#
# Why a throwaway design host: Microsoft.EntityFrameworkCore.Design cannot be restored from the NuGet
# registry reachable here (its dependencies Mono.TextTemplating and Microsoft.VisualStudio.SolutionPersistence
# are missing). Neither is used to build migrations, so this script creates empty stand-ins for them in a
# temporary folder, references Design from a temporary startup project, and runs the real `dotnet ef` against
# src/SspfSamordning.Api. Nothing of it is left in the repository; the generated migrations are ordinary EF ones.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
api="$root/src/SspfSamordning.Api"
work=$(mktemp -d)
[[ -n "${KEEP_WORK:-}" ]] || trap 'rm -rf "$work"' EXIT

stub() { # id version
  mkdir -p "$work/stubsrc/$1"
  cat > "$work/stubsrc/$1/stub.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework><PackageId>$1</PackageId><Version>$2</Version>
  <AssemblyName>$1.Stub</AssemblyName></PropertyGroup>
</Project>
XML
  dotnet pack "$work/stubsrc/$1/stub.csproj" -o "$work/feed" --nologo -v q >/dev/null
}
stub Mono.TextTemplating 3.0.0
stub Microsoft.VisualStudio.SolutionPersistence 1.0.52

mkdir -p "$work/host"
cat > "$work/host/nuget.config" <<XML
<configuration><packageSources><clear />
  <add key="stubs" value="$work/feed" />
  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
</packageSources></configuration>
XML
cat > "$work/host/DesignHost.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Exe</OutputType>
  <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><NoWarn>NU1603;NU1608</NoWarn></PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$api/SspfSamordning.Api.csproj" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="10.0.14" />
  </ItemGroup>
</Project>
XML
echo 'System.Console.WriteLine("design host");' > "$work/host/Program.cs"
dotnet restore "$work/host/DesignHost.csproj" --configfile "$work/host/nuget.config" -v q >/dev/null

cd "$root"
dotnet tool restore >/dev/null
ef() { # provider args...
  local provider=$1; shift
  dotnet ef "$@" --project "$api" --startup-project "$work/host" --context "${provider}SspfDbContext"
}
case "${1:-}" in
  Sqlite|Postgres)
    provider=$1; shift
    if [[ "${1:-} ${2:-}" == "migrations add" ]]; then
      ef "$provider" "$@" --output-dir "Infrastructure/Persistence/Migrations/$provider"
    else
      ef "$provider" "$@"
    fi ;;
  all)
    shift
    "$0" Sqlite "$@"
    "$0" Postgres "$@" ;;
  scripts)
    # PostgreSQL: idempotent (safe to run on a database at any earlier migration).
    # SQLite: EF cannot make idempotent SQLite scripts; this one creates the schema from empty.
    ef Postgres migrations script --idempotent --output "$root/db/migrations-postgres.sql"
    ef Sqlite migrations script --output "$root/db/migrations-sqlite.sql" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
