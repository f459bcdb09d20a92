using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>Several app instances on one database, and a dispatcher stopped mid-batch: every reminder exactly once.</summary>
public sealed class ScaleOutTests
{
    /// <summary>PostgreSQL or SQL Server: several writers at once, and Hangfire's queue in the database.</summary>
    private static bool ServerDatabase => ProviderSql.For(Environment.GetEnvironmentVariable("SSPF_TEST_DATABASE") ?? "Sqlite").IsServer;

    private static SspfApiFactory SecondInstance(SmtpApiFactory first)
    {
        var second = SspfApiFactory.SharingDatabaseWith(first);
        foreach (var (key, value) in first.Settings) second.Settings[key] = value;
        return second;
    }

    /// <summary>Inserts <paramref name="count"/> open meeting deadlines of one case whose reminder is due now (the deadline is tomorrow).</summary>
    private static async Task InsertDueDeadlinesAsync(SspfApiFactory factory, Guid caseId, Guid userId, int count)
    {
        var now = factory.Clock.GetUtcNow();
        var sqlite = !factory.Sql.IsServer;
        object Id(Guid g) => sqlite ? g.ToString().ToUpperInvariant() : g;
        object At(DateTimeOffset t) => sqlite ? t.UtcTicks : t;
        await using var connection = await new RawDatabase(factory).OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO "Deadlines" ("Id", "Kind", "SubjectId", "DueAt", "RemindAt", "ResponsibleUserId", "EscalateToUserId", "State", "CreatedAt", "CaseId")
                VALUES (@id, 'Meeting', @subject, @due, @remind, @user, @user, 'Open', @now, @case)
                """;
            void Add(string name, object value)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
            }
            Add("@id", Id(Guid.CreateVersion7()));
            Add("@subject", Id(Guid.NewGuid()));
            Add("@due", At(now.AddDays(1)));
            Add("@remind", At(now.AddMinutes(-1)));
            Add("@user", Id(userId));
            Add("@now", At(now.AddMinutes(-2)));
            Add("@case", Id(caseId));
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task<(Guid CaseId, Guid UserId)> CaseAsync(SspfApiFactory factory)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        return (await scenario.OpenCaseAsync(), await scenario.UserIdAsync("samordnare"));
    }

    /// <summary>Per deadline: one notification, one in-app and one e-mail delivery, both sent; and exactly one message per delivery at the sink.</summary>
    private static async Task AssertEachDeliveredOnceAsync(SmtpApiFactory factory, Guid caseId, int count)
    {
        var deadlineIds = await factory.QueryAsync(db => db.Set<Deadline>()
            .Where(d => EF.Property<Guid?>(d, "CaseId") == caseId && d.Kind == DeadlineKind.Meeting && d.ReminderSentAt != null).Select(d => d.Id).ToListAsync());
        Assert.Equal(count, deadlineIds.Count);
        var notifications = await factory.QueryAsync(db => db.Set<Notification>().Where(n => n.CaseId == caseId).GroupBy(n => n.DeadlineId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(count, notifications.Count);
        Assert.All(notifications, n => Assert.Equal(1, n));
        var emails = await factory.QueryAsync(db => db.Set<ReminderDelivery>()
            .Where(d => d.Channel == DeliveryChannel.Email && d.State == DeliveryState.Sent).Select(d => d.Id.ToString()).ToListAsync());
        Assert.Equal(count, emails.Count);
        var received = factory.Sink.Messages.Select(m => m.Header("X-Sspf-Delivery")!).ToList();
        Assert.Equal(count, received.Count);
        Assert.Equal(emails.Order(StringComparer.OrdinalIgnoreCase), received.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TwoInstancesOnAServerDatabase_Dispatch2000DueReminders_EachExactlyOnce()
    {
        if (!ServerDatabase) Assert.Skip("Several writers dispatching at once needs the server database; SQLite has a single writer.");
        await using var first = new SmtpApiFactory();
        first.Settings["Reminders:BatchSize"] = "50";
        await using var second = SecondInstance(first);
        var (caseId, userId) = await CaseAsync(first);
        second.CreateClient().Dispose();
        await InsertDueDeadlinesAsync(first, caseId, userId, 2000);

        var results = await Task.WhenAll(first.DispatchAsync(), second.DispatchAsync());

        Assert.Equal(2000, results.Sum(r => r.Steps));
        // One Hangfire queue in the shared database: each e-mail job went to one of the two workers.
        Assert.Equal(2000, results.Sum(r => r.EmailJobsPerformed));
        Assert.All(results, r => Assert.True(r.Steps > 0, "both instances took part"));
        await AssertEachDeliveredOnceAsync(first, caseId, 2000);
    }

    [Fact]
    public async Task EmailWorkerStoppedMidQueue_ThenRestarted_LosesAndDoublesNothing()
    {
        await using var first = new SmtpApiFactory();
        var (caseId, userId) = await CaseAsync(first);
        await InsertDueDeadlinesAsync(first, caseId, userId, 45);

        using var crash = new CancellationTokenSource();
        first.Sink.Received = _ => { if (first.Sink.Messages.Count == 13) crash.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DispatchAsync(crash.Token));
        first.Sink.Received = null;
        Assert.Equal(13, first.Sink.Messages.Count);

        // The restarted instance: on PostgreSQL and SQL Server the queue is in the database and its worker sends the other 32 at once;
        // on SQLite the in-memory job storage went with the process, so they wait until the dispatcher gives each
        // pending delivery a new job (its claim lapsed: EmailClaim after it was due), then go out once.
        await using var restarted = SecondInstance(first);
        restarted.CreateClient().Dispose();
        var early = await restarted.DispatchAsync();
        Assert.Equal(0, early.Steps);
        Assert.Equal(ServerDatabase ? 45 : 13, first.Sink.Messages.Count);
        first.Clock.Advance(TimeSpan.FromMinutes(5));
        await restarted.DispatchAsync();
        Assert.Equal(45, first.Sink.Messages.Count);
        first.Clock.Advance(TimeSpan.FromMinutes(30));
        await restarted.DispatchAsync();

        await AssertEachDeliveredOnceAsync(first, caseId, 45);
    }
}
