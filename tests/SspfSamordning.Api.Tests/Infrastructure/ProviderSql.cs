using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>
/// The SQL the tests write by hand — tampering with rows, holding a lock, taking the database away, acting as the app's
/// login — one form per provider behind one seam, so that a test says what it does and not which dialect it speaks (the
/// test-side counterpart of <see cref="SqlDialect"/>). <see cref="SqlServerStatements"/> lists every SQL Server form,
/// which SqlServerScriptTests parses with Microsoft's T-SQL parser: no SQL Server can run where the suite is built, so
/// each form is at least proven to be T-SQL.
/// </summary>
public abstract class ProviderSql
{
    public static readonly ProviderSql Sqlite = new SqliteForms(), Postgres = new PostgresForms(), SqlServer = new SqlServerForms();

    public static ProviderSql For(string provider) => provider switch
    {
        "Postgres" => Postgres,
        "SqlServer" => SqlServer,
        _ => Sqlite,
    };

    /// <summary>
    /// A server database (PostgreSQL, SQL Server): several writers at once, and an owner with a separate application login
    /// (db/roles-*.sql). SQLite has neither.
    /// </summary>
    public abstract bool IsServer { get; }

    public abstract DbConnection Connection(string connectionString);

    /// <summary>A Guid as a literal that matches how EF stored it (SQLite keeps upper-case text).</summary>
    public virtual string Literal(Guid id) => $"'{id}'";

    /// <summary>The length in characters of a text column.</summary>
    public virtual string Length(string column) => $"length(\"{column}\")";

    /// <summary>A text column with <paramref name="text"/> appended.</summary>
    public virtual string Appended(string column, string text) => $"\"{column}\" || '{text}'";

    /// <summary>The database's clock, as a value for a timestamp column.</summary>
    public virtual string Now => "now()";

    /// <summary>Makes every <paramref name="operation"/> (INSERT, UPDATE) on <paramref name="table"/> fail, as a full disk would.</summary>
    public abstract string RefuseEvery(string operation, string table);

    public abstract string StopRefusing(string table);

    /// <summary>Begins a transaction that holds the case-number counters until COMMIT.</summary>
    public abstract string HoldCaseNumberCounters { get; }

    /// <summary>Takes the database away from the application's login (statements run in order on the owner's connection).</summary>
    public virtual IEnumerable<string> StartOutage(string database, string appConnectionString) => ["BEGIN EXCLUSIVE"];

    public virtual string EndOutage(string database) => "ROLLBACK";

    /// <summary>The owner's gallring function or procedure for one stripe, called as the application would (the app's own command text).</summary>
    public string EraseAccessEvents(int stripe, long through) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Dialect.EraseAccessEvents ?? throw Unsupported(), stripe, through);

    /// <summary>A row of the checkpoints written directly (not through the app).</summary>
    public string InsertCheckpoint(int stripe, long sequence, string hash, string kind) =>
        $"""INSERT INTO "AuditCheckpoints" ("Id", "Stripe", "Sequence", "Hash", "At", "Kind") VALUES ('{Guid.NewGuid()}', {stripe}, {sequence}, '{hash}', {Now}, '{kind}')""";

    /// <summary>One scalar: whether the current login may INSERT into the access log.</summary>
    public virtual string MayInsertAccessEvents => throw Unsupported();

    /// <summary>A function the application's login must not be able to create (its schema is the owner's).</summary>
    public virtual string CreateShadowFunction => throw Unsupported();

    /// <summary>One row: the current user's name, and whether it owns the database or the server.</summary>
    public virtual string WhoAmI => throw Unsupported();

    /// <summary>What the app login may do in Hangfire's schema (each must succeed).</summary>
    public virtual IEnumerable<string> HangfireUse => throw Unsupported();

    /// <summary>What the app login may not do to Hangfire's schema (each must be refused).</summary>
    public virtual IEnumerable<string> HangfireSchemaChanges => throw Unsupported();

    /// <summary>Whether <paramref name="e"/> is the database refusing the login a permission (or a guard trigger refusing the row).</summary>
    public virtual bool IsRefusal(DbException e) => throw Unsupported();

    /// <summary>Changes to the access log the application's login must be refused (the same text on every server database).</summary>
    public static readonly string[] LogChanges =
    [
        """UPDATE "AccessEvents" SET "Categories" = 'x'""",
        """DELETE FROM "AccessEvents" """,
        """TRUNCATE TABLE "AccessEvents" """,
        """UPDATE "AuditCheckpoints" SET "Hash" = 'x'""",
        """DELETE FROM "AuditCheckpoints" """,
    ];

    /// <summary>The owner's retention age (db/roles-*.sql), and what the application's login must not do to it.</summary>
    public const string ZeroRetentionAge = "UPDATE sspf_audit_settings SET access_log_retention_years = 0";

    public static readonly string[] RetentionAgeChanges = [ZeroRetentionAge, "DELETE FROM sspf_audit_settings"];

    protected abstract SqlDialect Dialect { get; }

    private NotSupportedException Unsupported() => new($"{GetType().Name}: SQLite has no roles or server-side functions.");

    /// <summary>Every SQL Server statement the tests send, with sample arguments, for the parse test.</summary>
    public static IEnumerable<(string Name, string Sql)> SqlServerStatements()
    {
        var s = SqlServer;
        yield return (nameof(Literal), $"SELECT 1 WHERE {s.Literal(Guid.NewGuid())} = {s.Literal(Guid.NewGuid())}");
        yield return (nameof(Length), $"""SELECT {s.Length("YouthGivenName")} FROM "Cases" """);
        yield return (nameof(Appended), $"""UPDATE "AccessEvents" SET "Categories" = {s.Appended("Categories", "Health")} WHERE "Stripe" = 1 AND "Sequence" = 3""");
        yield return (nameof(RefuseEvery), s.RefuseEvery("INSERT", "AccessEvents"));
        yield return (nameof(RefuseEvery) + "UPDATE", s.RefuseEvery("UPDATE", "Cases"));
        yield return (nameof(StopRefusing), s.StopRefusing("AccessEvents"));
        yield return (nameof(HoldCaseNumberCounters), s.HoldCaseNumberCounters + "; COMMIT");
        foreach (var (sql, i) in s.StartOutage("sspf_test", "Server=x;Database=sspf_test;User ID=sspf_app").Select((q, i) => (q, i)))
            yield return (nameof(StartOutage) + i, sql);
        yield return (nameof(EndOutage), s.EndOutage("sspf_test"));
        yield return (nameof(EraseAccessEvents), s.EraseAccessEvents(3, 42));
        yield return (nameof(InsertCheckpoint), s.InsertCheckpoint(3, 42, new string('0', 64), "Anchor"));
        yield return (nameof(MayInsertAccessEvents), s.MayInsertAccessEvents);
        yield return (nameof(CreateShadowFunction), s.CreateShadowFunction);
        yield return (nameof(WhoAmI), s.WhoAmI);
        foreach (var (sql, i) in s.HangfireUse.Concat(s.HangfireSchemaChanges).Select((q, i) => (q, i)))
            yield return ("Hangfire" + i, sql);
        foreach (var (sql, i) in LogChanges.Concat(RetentionAgeChanges).Select((q, i) => (q, i)))
            yield return ("Shared" + i, sql);
        foreach (var (sql, i) in Performance.VisibilityScaleTests.SqlServerSeed(100_000, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow).Select((q, i) => (q, i)))
            yield return ("VisibilityScaleSeed" + i, sql);
    }

    private sealed class SqliteForms : ProviderSql
    {
        public override bool IsServer => false;
        protected override SqlDialect Dialect => SqlDialect.Sqlite;
        public override DbConnection Connection(string connectionString) => new SqliteConnection(connectionString);
        public override string Literal(Guid id) => $"'{id.ToString().ToUpperInvariant()}'";
        public override string RefuseEvery(string operation, string table) =>
            $"""CREATE TRIGGER test_refuse BEFORE {operation} ON "{table}" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;""";
        public override string StopRefusing(string table) => "DROP TRIGGER test_refuse;";
        public override string HoldCaseNumberCounters => "BEGIN IMMEDIATE";
    }

    private sealed class PostgresForms : ProviderSql
    {
        public override bool IsServer => true;
        protected override SqlDialect Dialect => SqlDialect.Postgres;
        public override DbConnection Connection(string connectionString) => new NpgsqlConnection(connectionString);
        public override string RefuseEvery(string operation, string table) => $"""
            CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER test_refuse BEFORE {operation} ON "{table}" FOR EACH ROW EXECUTE FUNCTION test_refuse();
            """;
        public override string StopRefusing(string table) => $"""DROP TRIGGER test_refuse ON "{table}"; DROP FUNCTION test_refuse();""";
        public override string HoldCaseNumberCounters => "BEGIN; SELECT 1 FROM \"CaseNumberCounters\" FOR UPDATE";

        public override IEnumerable<string> StartOutage(string database, string appConnectionString) =>
        [
            $"ALTER DATABASE \"{database}\" CONNECTION LIMIT 0",
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = '{new NpgsqlConnectionStringBuilder(appConnectionString).Username}'",
        ];

        public override string EndOutage(string database) => $"ALTER DATABASE \"{database}\" CONNECTION LIMIT -1";
        public override string MayInsertAccessEvents => """SELECT has_table_privilege('"AccessEvents"', 'INSERT')""";
        public override string CreateShadowFunction => "CREATE FUNCTION public.sspf_shadow() RETURNS int LANGUAGE sql AS 'SELECT 1'";
        public override string WhoAmI => "SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)";
        public override IEnumerable<string> HangfireUse => ["SELECT count(*) FROM hangfire.job", "DELETE FROM hangfire.lock WHERE resource = 'nothing'"];
        public override IEnumerable<string> HangfireSchemaChanges =>
            ["CREATE TABLE hangfire.x (i int)", "DROP TABLE hangfire.job", "TRUNCATE hangfire.job", "UPDATE hangfire.\"schema\" SET version = version"];
        public override bool IsRefusal(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege };
    }

    /// <summary>
    /// T-SQL, sent with QUOTED_IDENTIFIER ON (SqlClient's default), so "Table" names work as on PostgreSQL. Locks held past
    /// one command are transactions begun in T-SQL (BEGIN TRANSACTION stays open on the connection until COMMIT).
    /// </summary>
    private sealed class SqlServerForms : ProviderSql
    {
        public override bool IsServer => true;
        protected override SqlDialect Dialect => SqlDialect.SqlServer;
        public override DbConnection Connection(string connectionString) => new SqlConnection(connectionString);
        public override string Length(string column) => $"LEN(\"{column}\")";
        public override string Appended(string column, string text) => $"CONCAT(\"{column}\", N'{text}')";
        public override string Now => "SYSDATETIMEOFFSET()";

        // AFTER, not INSTEAD OF: the row is written, then the THROW rolls the statement (and the app's transaction) back.
        public override string RefuseEvery(string operation, string table) =>
            $"""CREATE TRIGGER test_refuse ON "{table}" AFTER {operation} AS BEGIN SET NOCOUNT ON; THROW 50000, N'refused by the test', 1; END""";

        public override string StopRefusing(string table) => "DROP TRIGGER test_refuse";

        // UPDLOCK conflicts with the UPDLOCK of the app's counter insert and the X lock of its increment; HOLDLOCK keeps the range.
        public override string HoldCaseNumberCounters => "BEGIN TRANSACTION; SELECT 1 FROM \"CaseNumberCounters\" WITH (UPDLOCK, HOLDLOCK)";

        // Maintenance as an administrator does it: every other session is rolled back and closed at once, and the owner's
        // connection that ran it is the database's one user until MULTI_USER — the app's connections fail (broken
        // connection, then 924 "can only have one user at a time") as during a real outage.
        public override IEnumerable<string> StartOutage(string database, string appConnectionString) =>
            [$"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE"];

        public override string EndOutage(string database) => $"ALTER DATABASE [{database}] SET MULTI_USER";
        public override string MayInsertAccessEvents => "SELECT CAST(HAS_PERMS_BY_NAME(N'dbo.AccessEvents', N'OBJECT', N'INSERT') AS bit)";
        public override string CreateShadowFunction => "CREATE FUNCTION dbo.sspf_shadow() RETURNS int AS BEGIN RETURN 1; END";
        public override string WhoAmI => "SELECT USER_NAME(), CAST(IS_MEMBER(N'db_owner') | IS_SRVROLEMEMBER(N'sysadmin') AS bit)";
        public override IEnumerable<string> HangfireUse => ["SELECT COUNT(*) FROM [HangFire].[Job]", "DELETE FROM [HangFire].[Lock] WHERE [Resource] = N'nothing'"];
        public override IEnumerable<string> HangfireSchemaChanges =>
            ["CREATE TABLE [HangFire].[x] (i int)", "DROP TABLE [HangFire].[Job]", "TRUNCATE TABLE [HangFire].[Job]", "UPDATE [HangFire].[Schema] SET [Version] = [Version]"];

        // 229/230 permission denied on an object/column, 262 CREATE denied, 297 no permission for the statement, 1088 and
        // 3701 (TRUNCATE / DROP) "does not exist or you do not have permission", 51010 the checkpoint trigger of
        // db/roles-sqlserver.sql refusing an anchor or an off-chain head.
        public override bool IsRefusal(DbException e) => e is SqlException { Number: 229 or 230 or 262 or 297 or 1088 or 3701 or 51010 };
    }
}
