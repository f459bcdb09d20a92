using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.SqlServer;

/// <summary>
/// Issue 21, without a SQL Server: every SQL Server statement the project ships — the operators' migration script, the
/// roles script and each hand-written command — parses with Microsoft's T-SQL parser, and the roles script says what
/// security.md requires of the access log (read from its syntax tree, not searched as text).
/// </summary>
public sealed class SqlServerScriptTests
{
    private static readonly string MigrationScript = TSql.RepositoryFile("db", "migrations-sqlserver.sql");
    private static readonly string RolesScript = TSql.RepositoryFile("db", "roles-sqlserver.sql");

    [Fact]
    public void TheParser_RejectsWhatIsNotTSql()
    {
        // The check below can fail: PostgreSQL's forms of the same seams are no T-SQL.
        Assert.NotEmpty(TSql.Errors(TSql.AsSent(SqlDialect.Postgres.ClaimDueDeadlines!)));
        Assert.NotEmpty(TSql.Errors(TSql.RepositoryFile("db", "roles-postgres.sql")));
        Assert.NotEmpty(TSql.Errors("SELECT [Id] FROM [Deadlines] WITH (UPDLOCK READPAST"));
        Assert.NotEmpty(TSql.Errors(ProviderSql.Postgres.RefuseEvery("INSERT", "AccessEvents")));
        Assert.NotEmpty(TSql.Errors(ProviderSql.Postgres.CreateShadowFunction));
    }

    /// <summary>
    /// The SQL the API tests send by hand on SQL Server (tampering, locks, outages, the app login's attacks), which runs
    /// only where SSPF_TEST_SQLSERVER names a server: here it is at least proven to be T-SQL, each form in the one seam.
    /// </summary>
    [Fact]
    public void EveryHandWrittenSqlServerStatementOfTheTests_Parses()
    {
        var statements = ProviderSql.SqlServerStatements().ToList();
        Assert.True(statements.Count >= 25, $"{statements.Count} statements");
        Assert.Equal(statements.Count, statements.Select(s => s.Name).Distinct().Count());
        foreach (var (name, sql) in statements)
        {
            var errors = TSql.Errors(sql);
            Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}\n{sql}");
        }
    }

    [Fact]
    public void MigrationScript_Parses()
    {
        var errors = TSql.Errors(MigrationScript, out var script);
        Assert.True(errors.Count == 0, "db/migrations-sqlserver.sql: " + string.Join("; ", errors));
        Assert.NotEmpty(TSql.All<CreateTableStatement>(script));
    }

    [Fact]
    public void MigrationScript_HasEveryMigration_EachOnlyOnce()
    {
        using var db = SqlServerModel.Context();
        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        foreach (var id in migrations)
        {
            // Idempotent: each migration's statements are guarded by its row in the history, and the row is written once.
            Assert.True(MigrationScript.Contains($"WHERE [MigrationId] = N'{id}'", StringComparison.Ordinal), $"Run db/ef.sh scripts; {id} is not guarded in db/migrations-sqlserver.sql");
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(MigrationScript, $@"VALUES \(N'{id}'"));
        }
    }

    [Fact]
    public void RolesScript_Parses()
    {
        var errors = TSql.Errors(RolesScript);
        Assert.True(errors.Count == 0, "db/roles-sqlserver.sql: " + string.Join("; ", errors));
    }

    [Fact]
    public void EveryHandWrittenSqlServerCommand_Parses()
    {
        var commands = SqlDialect.SqlServer.Commands().ToList();
        // Every seam that has a PostgreSQL form has a SQL Server one (the same seam, not a missing branch).
        Assert.Equal(SqlDialect.Postgres.Commands().Select(c => c.Name), commands.Select(c => c.Name));
        foreach (var (name, sql) in commands)
        {
            var errors = TSql.Errors(TSql.AsSent(sql));
            Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}\n{sql}");
        }
    }

    [Fact]
    public void TheClaims_SkipRowsOtherInstancesHold_AndLockWhatTheyTake()
    {
        foreach (var sql in new[] { SqlDialect.SqlServer.ClaimDueDeadlines!, SqlDialect.SqlServer.ClaimLostEmails! })
        {
            Assert.Empty(TSql.Errors(TSql.AsSent(sql), out var fragment));
            var hints = TSql.All<TableHint>(fragment).Select(h => h.HintKind).ToList();
            Assert.Equal([TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock], hints);
            Assert.Single(TSql.All<TopRowFilter>(fragment));
        }
    }

    [Fact]
    public void TheAppendLock_IsAnExclusiveApplicationLockOwnedByTheTransaction_AndFailsWhenNotGranted()
    {
        Assert.Empty(TSql.Errors(TSql.AsSent(SqlDialect.SqlServer.AccessLogAppendLock!), out var fragment));
        // One lock per stripe of the access log: the resource names the stripe (the command's one parameter).
        Assert.Contains($"CONCAT(N'{SqlDialect.SqlServerAppendLockResource}-', @p0)", TSql.Text(fragment), StringComparison.Ordinal);
        var call = Assert.Single(TSql.All<ExecuteStatement>(fragment));
        var procedure = (ExecutableProcedureReference)call.ExecuteSpecification.ExecutableEntity;
        Assert.Equal("sp_getapplock", procedure.ProcedureReference.ProcedureReference.Name.BaseIdentifier.Value);
        var parameters = procedure.Parameters.ToDictionary(p => p.Variable.Name, p => TSql.Text(p.ParameterValue), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("N'Exclusive'", parameters["@LockMode"]);
        Assert.Equal("N'Transaction'", parameters["@LockOwner"]);
        Assert.Single(TSql.All<ThrowStatement>(fragment));
    }

    [Fact]
    public void RolesScript_AppUserMayOnlyAppendAndReadTheAccessLog()
    {
        Assert.Empty(TSql.Errors(RolesScript, out var script));
        var denied = Denied(script);
        foreach (var table in new[] { "AccessEvents", "AuditCheckpoints" })
        {
            Assert.Contains(("UPDATE", table), denied);
            Assert.Contains(("DELETE", table), denied);
            Assert.Contains(("ALTER", table), denied); // TRUNCATE TABLE needs ALTER
            Assert.DoesNotContain(("INSERT", table), denied);
            Assert.DoesNotContain(("SELECT", table), denied);
        }
        Assert.Contains(("UPDATE", "sspf_audit_settings"), denied);
        Assert.Contains(("INSERT", "__EFMigrationsHistory"), denied);
        Assert.Contains(("ALTER", "dbo"), denied); // no DDL in the schema: no dropping the trigger or replacing the procedure

        var grants = TSql.All<GrantStatement>(script);
        Assert.Contains(grants, g => Target(g) == "dbo" && g.Principals.Any(IsApp)
            && new[] { "SELECT", "INSERT" }.All(p => Permissions(g).Contains(p)));
    }

    [Fact]
    public void RolesScript_ErasePath_RunsAsOwner_TakesNoRetentionFromTheApp_AndWritesItsOwnAnchor()
    {
        Assert.Empty(TSql.Errors(RolesScript, out var script));
        var procedure = Assert.Single(TSql.All<CreateOrAlterProcedureStatement>(script));
        Assert.Equal("sspf_erase_access_events", procedure.ProcedureReference.Name.BaseIdentifier.Value);
        var executeAs = Assert.Single(procedure.Options.OfType<ExecuteAsProcedureOption>());
        Assert.Equal(ExecuteAsOption.Owner, executeAs.ExecuteAs.ExecuteAsOption);
        // The only parameters are which stripe and where to cut it: the retention age is the owner's table, the clock the server's.
        Assert.Equal(["@stripe", "@through"], procedure.Parameters.Select(p => p.VariableName.Value));
        var body = TSql.Text(procedure.StatementList);
        Assert.Contains("dbo.sspf_audit_settings", body, StringComparison.Ordinal);
        Assert.Contains("SYSDATETIMEOFFSET()", body, StringComparison.Ordinal);
        var insert = Assert.Single(TSql.All<InsertStatement>(procedure));
        Assert.Contains("N'Anchor'", TSql.Text(insert), StringComparison.Ordinal);
        Assert.Contains(TSql.All<GrantStatement>(script), g => Target(g) == "sspf_erase_access_events" && g.Principals.Any(IsApp)
            && Permissions(g).SequenceEqual(["EXECUTE"]));

        // Anchors come from the procedure only: a trigger refuses the app's anchors and heads that are not on the chain.
        var trigger = Assert.Single(TSql.All<CreateOrAlterTriggerStatement>(script));
        Assert.Equal("AuditCheckpoints", trigger.TriggerObject.Name.BaseIdentifier.Value);
        Assert.Equal(TriggerActionType.Insert, Assert.Single(trigger.TriggerActions).TriggerActionType);
        Assert.Equal(SqlServerSspfDbContext.CheckpointTrigger, trigger.Name.BaseIdentifier.Value);
        var check = TSql.Text(trigger.StatementList);
        Assert.Contains("N'Head'", check, StringComparison.Ordinal);
        Assert.Contains("dbo.AccessEvents", check, StringComparison.Ordinal);
    }

    private static HashSet<(string Permission, string Target)> Denied(TSqlFragment script) =>
        TSql.All<DenyStatement>(script).Where(d => d.Principals.Any(IsApp))
            .SelectMany(d => Permissions(d).Select(p => (p, Target(d) ?? ""))).ToHashSet();

    private static List<string> Permissions(SecurityStatement statement) =>
        statement.Permissions.Select(p => string.Join(" ", p.Identifiers.Select(i => i.Value.ToUpperInvariant()))).ToList();

    private static string? Target(SecurityStatement statement) =>
        statement.SecurityTargetObject?.ObjectName?.MultiPartIdentifier.Identifiers.Last().Value;

    private static bool IsApp(SecurityPrincipal principal) => principal.Identifier?.Value == "sspf_app";
}
