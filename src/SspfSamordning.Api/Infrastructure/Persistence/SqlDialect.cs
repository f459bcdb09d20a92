using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Every SQL command text the application writes by hand, one form per provider, behind the seams that use them
/// (<c>CaseNumbers</c>, <c>AuditChain</c>, <c>ReminderDispatcher</c>, <c>RetentionJob</c>, <c>DatabaseHealthCheck</c>):
/// no provider check is scattered through the handlers. A null command means that provider needs none there (the seam
/// uses LINQ: SQLite's write transaction already is exclusive, so it claims and locks nothing by hand).
/// Parameters are positional placeholders <c>{0}</c>, <c>{1}</c>, … as EF's <c>*Raw</c> methods take them (each becomes a
/// DbParameter, never text). <see cref="Commands"/> lists them all, so that a test can parse every SQL Server form with
/// Microsoft's T-SQL parser without a SQL Server.
/// </summary>
public sealed record SqlDialect(
    DatabaseProvider Provider,
    // Creates the counter row of a municipality and year when it is missing; waits for, and then yields to, a
    // concurrent creator instead of failing on the key. {0} municipality id, {1} year. Affects 1 row or 0.
    string InsertCaseNumberCounter,
    // Takes the append lock of one stripe of the access log (AuditChain) until the transaction ends. {0} the stripe
    // (a small integer).
    string? AccessLogAppendLock,
    // Takes the lock of one youth in one municipality until the transaction ends ("one open case per youth",
    // OneOpenCase). {0} the lock key (a 64-bit integer).
    string? OneOpenCaseLock,
    // Due deadline ids, locked for this transaction and skipping rows another instance holds (Deadline.IsDue).
    // {0} now (UTC), {1} stale-before (UTC), {2} batch size. One column named Value.
    string? ClaimDueDeadlines,
    // Pending e-mail deliveries whose job was lost, locked and skipping held rows. {0} lost-before (UTC),
    // {1} batch size. One column named Value.
    string? ClaimLostEmails,
    // Gallring of one stripe of the access log through the owner's function or procedure (db/roles-*.sql). {0} the
    // stripe, {1} the last sequence of that stripe erased. One row, one column named Value: how many events were erased.
    string? EraseAccessEvents,
    // Inside a transaction: fails unless the database can write.
    string? WriteProbe)
{
    public static readonly SqlDialect Sqlite = new(
        DatabaseProvider.Sqlite,
        InsertCaseNumberCounter: """INSERT INTO "CaseNumberCounters" ("MunicipalityId", "Year", "Last") VALUES ({0}, {1}, 1) ON CONFLICT DO NOTHING""",
        AccessLogAppendLock: null, OneOpenCaseLock: null, ClaimDueDeadlines: null, ClaimLostEmails: null, EraseAccessEvents: null, WriteProbe: null);

    /// <summary>
    /// Key of the advisory lock that serializes appends to stripe 0 of the access log on PostgreSQL (arbitrary, constant:
    /// "SSPFAUD1"); stripe s locks this key + s.
    /// </summary>
    public const long PostgresAppendLockKey = 0x5353_5046_4155_4431;

    public static readonly SqlDialect Postgres = new(
        DatabaseProvider.Postgres,
        InsertCaseNumberCounter: Sqlite.InsertCaseNumberCounter,
        AccessLogAppendLock: $"SELECT pg_advisory_xact_lock({PostgresAppendLockKey} + {{0}})",
        OneOpenCaseLock: "SELECT pg_advisory_xact_lock({0})",
        ClaimDueDeadlines: """
            SELECT "Id" AS "Value" FROM "Deadlines"
            WHERE "State" = 'Open'
              AND (("ReminderSentAt" IS NULL AND "RemindAt" <= {0} AND ("DueAt" > {0} OR "RemindAt" > {1}))
                OR ("EscalatedAt" IS NULL AND "DueAt" < {0}))
            ORDER BY "DueAt" LIMIT {2}
            FOR UPDATE SKIP LOCKED
            """,
        ClaimLostEmails: """
            SELECT "Id" AS "Value" FROM "ReminderDeliveries"
            WHERE "State" = 'Pending' AND "NextAttemptAt" <= {0}
            ORDER BY "NextAttemptAt" LIMIT {1}
            FOR UPDATE SKIP LOCKED
            """,
        EraseAccessEvents: """SELECT sspf_erase_access_events(CAST({0} AS smallint), {1}) AS "Value" """,
        // A transaction id, whose commit record the server must write to its WAL.
        WriteProbe: "SELECT pg_catalog.txid_current()");

    /// <summary>
    /// The name of the application lock (sp_getapplock) that serializes appends to one stripe of the access log on SQL
    /// Server: this, a hyphen and the stripe.
    /// </summary>
    public const string SqlServerAppendLockResource = "sspf-access-log-append";

    public static readonly SqlDialect SqlServer = new(
        DatabaseProvider.SqlServer,
        // UPDLOCK + HOLDLOCK lock the key range of the missing row: a concurrent creator waits here until this transaction
        // ends and then finds the row (0 rows inserted) — never a duplicate-key error.
        InsertCaseNumberCounter: """
            INSERT INTO [CaseNumberCounters] ([MunicipalityId], [Year], [Last])
            SELECT {0}, {1}, 1
            WHERE NOT EXISTS (SELECT 1 FROM [CaseNumberCounters] WITH (UPDLOCK, HOLDLOCK) WHERE [MunicipalityId] = {0} AND [Year] = {1})
            """,
        // Owned by the transaction, released at its end; waits at most 30 s and then fails the append instead of hanging.
        AccessLogAppendLock: $$"""
            DECLARE @resource nvarchar(255) = CONCAT(N'{{SqlServerAppendLockResource}}-', {0}), @granted int;
            EXEC @granted = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
            IF @granted < 0 THROW 51000, N'The access log append lock was not granted.', 1;
            """,
        OneOpenCaseLock: """
            DECLARE @resource nvarchar(255) = CONCAT(N'sspf-open-case-', {0}), @granted int;
            EXEC @granted = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
            IF @granted < 0 THROW 51002, N'The open-case lock was not granted.', 1;
            """,
        ClaimDueDeadlines: """
            SELECT TOP ({2}) [Id] AS [Value] FROM [Deadlines] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] = N'Open'
              AND (([ReminderSentAt] IS NULL AND [RemindAt] <= {0} AND ([DueAt] > {0} OR [RemindAt] > {1}))
                OR ([EscalatedAt] IS NULL AND [DueAt] < {0}))
            ORDER BY [DueAt]
            """,
        ClaimLostEmails: """
            SELECT TOP ({1}) [Id] AS [Value] FROM [ReminderDeliveries] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] = N'Pending' AND [NextAttemptAt] <= {0}
            ORDER BY [NextAttemptAt]
            """,
        EraseAccessEvents: "EXEC [dbo].[sspf_erase_access_events] @stripe = {0}, @through = {1}",
        // SQL Server has no cheap "must write" statement: a database set READ_ONLY (or a read-only replica) fails here.
        WriteProbe: """
            IF CAST(DATABASEPROPERTYEX(DB_NAME(), N'Updateability') AS nvarchar(16)) <> N'READ_WRITE'
                THROW 51001, N'The database is read-only.', 1;
            """);

    public static IReadOnlyList<SqlDialect> All { get; } = [Sqlite, Postgres, SqlServer];

    /// <summary>The dialect of the context's provider.</summary>
    public static SqlDialect Of(DatabaseFacade database) =>
        database.IsNpgsql() ? Postgres : database.IsSqlServer() ? SqlServer : Sqlite;

    /// <summary>Every command of this dialect, by name (the property's), with its text.</summary>
    public IEnumerable<(string Name, string Sql)> Commands()
    {
        (string, string?)[] all =
        [
            (nameof(InsertCaseNumberCounter), InsertCaseNumberCounter), (nameof(AccessLogAppendLock), AccessLogAppendLock),
            (nameof(OneOpenCaseLock), OneOpenCaseLock),
            (nameof(ClaimDueDeadlines), ClaimDueDeadlines), (nameof(ClaimLostEmails), ClaimLostEmails),
            (nameof(EraseAccessEvents), EraseAccessEvents), (nameof(WriteProbe), WriteProbe),
        ];
        foreach (var (name, sql) in all)
            if (sql is not null) yield return (name, sql);
    }
}
