using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Retention;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Retention;

/// <summary>
/// Gallring with a moved clock (defaults: 5 years, cases and concern reports at the end of the calendar year in which
/// the period ends): exactly what is due is erased, erased cases are unreadable everywhere, and the chain still verifies.
/// </summary>
public sealed class RetentionTests : AuditLogHarness
{
    private async Task<RetentionReport> RunRetentionAsync() =>
        await ActivatorUtilities.CreateInstance<RetentionJob>(Factory.Services).RunAsync(CancellationToken.None);

    /// <summary>
    /// On PostgreSQL sspf_erase_access_events measures the retention age by the database's clock, which these tests cannot
    /// move: the owner lowers the floor as it would see it after five years (db/roles-postgres.sql, sspf_audit_settings).
    /// </summary>
    private async Task AsIfFiveYearsHadPassedForTheDatabaseAsync()
    {
        if (HasRoles) await Raw.ExecuteAsync(ProviderSql.ZeroRetentionAge);
    }

    private async Task CloseAsync(Guid caseId) =>
        await (await (await Scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            new { trigger = "Close", closeReason = "GoalsReached", closeComment = "Klart." })).EnsureStatusAsync(HttpStatusCode.OK);

    private async Task<Guid> FinishedReportAsync()
    {
        var reportId = await ConcernReportSteps.FileAsync(Scenario, "fritid");
        await (await ConcernReportSteps.TransitionAsync(Scenario, reportId, new { trigger = "AssessProtection", assessment = "Inget akut.", immediateProtectionNeeded = false }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        await (await ConcernReportSteps.TransitionAsync(Scenario, reportId, new { trigger = "DecideNoInvestigation", reason = "Familjen har redan stöd." }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        return reportId;
    }

    private async Task MoveClockToAsync(DateTimeOffset to)
    {
        Factory.Clock.Advance(to - Factory.Clock.GetUtcNow());
        await Scenario.RenewSessionsAsync();
    }

    private async Task<T> WithDbAsync<T>(Func<SspfDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SspfDbContext>());
    }

    [Fact]
    public async Task Gallring_ErasesExactlyWhatIsDue_AndTheChainStillVerifies()
    {
        // 2026: a case closed, a case left open, a finished concern report and one still received.
        var (due, _) = await new AppEncryptionTests(Factory).OpenSecretCaseAsync(Scenario);
        await CloseAsync(due);
        var open = await Scenario.OpenCaseAsync(age: 15);
        var dueReport = await FinishedReportAsync();
        var pendingReport = await ConcernReportSteps.FileAsync(Scenario, "skola");
        var literal = new AppEncryptionTests(Factory).Literal(due);
        var backup = await Raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {literal}");

        // 2027: another case closed — its last entry is a year later.
        await MoveClockToAsync(new DateTimeOffset(2027, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var closedLater = await Scenario.OpenCaseAsync(age: 16);
        await CloseAsync(closedLater);

        // The last day of 2031: five years have passed for the 2026 entries, but the year has not ended. Only access
        // events older than five years are due.
        await MoveClockToAsync(new DateTimeOffset(2031, 12, 31, 12, 0, 0, TimeSpan.Zero));
        var cutoff = Factory.Clock.GetUtcNow().AddYears(-5);
        var olderEvents = await WithDbAsync(db => db.AccessEvents.CountAsync(e => e.At < cutoff));
        var newerEvents = await WithDbAsync(db => db.AccessEvents.CountAsync(e => e.At >= cutoff));
        Assert.True(olderEvents > 10, $"{olderEvents} old events");
        // A stripe's head is never erased (the next append chains onto it): a stripe with old events only keeps its newest.
        var oldHeads = await WithDbAsync(db => db.AccessEvents.GroupBy(e => e.Stripe)
            .Select(g => new { g.Key, Head = g.Max(e => e.Sequence), Young = g.Count(e => e.At >= cutoff) }).Where(g => g.Young == 0).ToListAsync());
        await AsIfFiveYearsHadPassedForTheDatabaseAsync();
        var first = await RunRetentionAsync();
        Assert.Empty(first.Cases);
        Assert.Empty(first.ConcernReports);
        Assert.Equal(olderEvents - oldHeads.Count, first.AccessEvents);
        var keptOld = await WithDbAsync(db => db.AccessEvents.Where(e => e.At < cutoff).Select(e => new { e.Stripe, e.Sequence }).ToListAsync());
        Assert.Equal(oldHeads.Select(h => (h.Key, h.Head)).Order(), keptOld.Select(e => (e.Stripe, e.Sequence)).Order());
        Assert.Equal(newerEvents + 1, await WithDbAsync(db => db.AccessEvents.CountAsync(e => e.At >= cutoff))); // + the erasure's own event
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());

        // New Year 2032: the 2026 case and report are due; the case closed in 2027, the open case and the pending report are not.
        await MoveClockToAsync(new DateTimeOffset(2032, 1, 1, 0, 30, 0, TimeSpan.Zero));
        // An old head kept by the first run is due once its stripe has moved on — by the reads since, or by this run's
        // case erasures before it comes to the log. Which stripes did depends on the random case ids: at least those
        // already moved on are erased, at most all of them.
        var headsNow = await WithDbAsync(db => db.AccessEvents.GroupBy(e => e.Stripe)
            .Select(g => new { g.Key, Head = g.Max(e => e.Sequence) }).ToDictionaryAsync(g => g.Key, g => g.Head));
        var movedOn = oldHeads.Count(h => headsNow[h.Key] > h.Head);
        var second = await RunRetentionAsync();
        Assert.InRange(second.AccessEvents, movedOn, oldHeads.Count);
        var oldPerStripe = await WithDbAsync(db => db.AccessEvents.Where(e => e.At < cutoff).GroupBy(e => e.Stripe).Select(g => g.Count()).ToListAsync());
        Assert.All(oldPerStripe, n => Assert.Equal(1, n));
        Assert.Equal([due], second.Cases);
        Assert.Equal([dueReport], second.ConcernReports);
        Assert.True(await WithDbAsync(db => db.Cases.AnyAsync(c => c.Id == open)));
        Assert.True(await WithDbAsync(db => db.Cases.AnyAsync(c => c.Id == closedLater)));
        Assert.True(await WithDbAsync(db => db.ConcernReports.AnyAsync(r => r.Id == pendingReport)));

        // Unreadable everywhere: no rows, no key (a copy of the ciphertext cannot be decrypted), 404 through the API.
        Assert.Equal("0", await Raw.ScalarAsync($"SELECT COUNT(*) FROM \"Guardians\" WHERE \"CaseId\" = {literal}"));
        Assert.Equal("0", await Raw.ScalarAsync($"SELECT COUNT(*) FROM \"DataKeys\" WHERE \"OwnerId\" = {literal}"));
        await WithDbAsync<bool>(db =>
        {
            Assert.Throws<DataKeyUnavailableException>(() => KeyRings.Of(db).Decrypt(backup!, new FieldLocation("Cases", "YouthGivenName", due.ToString())));
            return Task.FromResult(true);
        });
        var coordinator = await Scenario.As("samordnare");
        await (await coordinator.Http.GetAsync($"/api/cases/{due}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        var listed = await (await coordinator.Http.GetAsync("/api/cases?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(due, listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        await (await (await Scenario.As("socialsekreterare")).Http.GetAsync($"/api/concern-reports/{dueReport}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Each erasure is logged with ids only, and the chain — anchored where the oldest events were erased — verifies.
        var erasures = (await EventsAsync()).Where(e => Action(e) == "Erasure").ToList();
        var accessEventErasures = second.AccessEvents > 0 ? ["AccessEvent", "AccessEvent"] : new[] { "AccessEvent" };
        Assert.Equal([.. accessEventErasures, "Case", "ConcernReport"], erasures.Select(e => e.GetProperty("entityType").GetString()).Order());
        Assert.Contains(erasures, e => e.GetProperty("entityType").GetString() == "Case" && e.GetProperty("entityId").GetGuid() == due);
        Assert.Equal("System", erasures[0].GetProperty("roles").GetString());
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());

        // A second run finds nothing more.
        var third = await RunRetentionAsync();
        Assert.Empty(third.Cases);
        Assert.Empty(third.ConcernReports);
    }

    [Fact]
    public async Task AfterGallring_DeletingTheFirstRemainingEvent_StillBreaksTheChain()
    {
        var old = await Scenario.OpenCaseAsync();
        await MoveClockToAsync(Factory.Clock.GetUtcNow().AddYears(6));
        await Scenario.OpenCaseAsync(age: 15);
        // Two young events in the old case's stripe (its chain), after its old ones.
        var coordinator = await Scenario.As("samordnare");
        for (var i = 0; i < 2; i++) await (await coordinator.Http.GetAsync($"/api/cases/{old}")).EnsureStatusAsync(HttpStatusCode.OK);
        await AsIfFiveYearsHadPassedForTheDatabaseAsync();
        Assert.True((await RunRetentionAsync()).AccessEvents > 0);
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());

        var stripe = SspfSamordning.Api.Infrastructure.Audit.AuditChain.StripeOf(old);
        Assert.Equal("1", await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AuditCheckpoints" WHERE "Kind" = 'Anchor' AND "Stripe" = {stripe}"""));
        var firstKept = await Raw.ScalarAsync($"""SELECT MIN("Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}""");
        var next = Guid.Parse((await Raw.ScalarAsync($"""SELECT "Id" FROM "AccessEvents" WHERE "Stripe" = {stripe} AND "Sequence" = {firstKept} + 1"""))!);
        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Stripe" = {stripe} AND "Sequence" = {firstKept}""");

        var verified = await VerifyAsync();
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(next, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    /// <summary>
    /// On PostgreSQL the application's clock is not trusted with the access log: moved six years ahead (as whoever runs
    /// the app could), gallring still cannot erase events the database's clock says are young.
    /// </summary>
    [Fact]
    public async Task Gallring_WithOnlyTheApplicationClockMoved_ErasesNoAccessEvents_OnServerDatabases()
    {
        if (!HasRoles) Assert.Skip("SQLite has no roles: the application's clock decides there, and the verifier is the control.");
        await Scenario.OpenCaseAsync();
        await MoveClockToAsync(Factory.Clock.GetUtcNow().AddYears(6));
        var before = await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """);

        var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(RunRetentionAsync);

        Assert.Contains("younger than the retention age", refused.Message);
        Assert.Equal("1", await Raw.ScalarAsync("""SELECT MIN("Sequence") FROM "AccessEvents" """));
        Assert.Equal(before, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """)); // not even the Erasure event: rolled back
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    /// <summary>
    /// Erasing a case takes its notifications and reminder deliveries (case number, case id) with it, even a delivery still
    /// pending; done deliveries of other cases go after <c>Retention:DeliveryDays</c> (90), pending ones and newer ones stay.
    /// </summary>
    [Fact]
    public async Task Gallring_ErasesTheCasesNotificationsAndDeliveries_AndDoneDeliveriesAfterTheirRetention()
    {
        var due = await Scenario.OpenCaseAsync();
        await CloseAsync(due);
        var dueReport = await FinishedReportAsync(); // has deadlines: its deliveries name one
        var open = await Scenario.OpenCaseAsync(age: 15);
        var user = await Scenario.UserIdAsync("samordnare");
        var now = Factory.Clock.GetUtcNow();
        Guid pendingOfDue = Guid.NewGuid(), oldDone = Guid.NewGuid(), recentDone = Guid.NewGuid(), pendingOther = Guid.NewGuid();
        Guid notificationOfDue = Guid.NewGuid(), notificationOfDueReport = Guid.NewGuid(), notificationOfOpen = Guid.NewGuid();
        await WithDbAsync(async db =>
        {
            var deadline = await db.Set<SspfSamordning.Domain.Deadline>().Where(d => EF.Property<Guid?>(d, Aggregates.ConcernReportId) == dueReport).Select(d => d.Id).FirstAsync();
            ReminderDelivery Delivery(Guid id, Guid deadlineId, DeliveryState state, DateTimeOffset at) => new()
            {
                Id = id, DeadlineId = deadlineId, Step = SspfSamordning.Domain.ReminderStep.Reminder, Channel = DeliveryChannel.Email, UserId = user,
                Text = "Påminnelse", State = state, CreatedAt = at, NextAttemptAt = at,
            };
            db.AddRange(
                Delivery(pendingOfDue, deadline, DeliveryState.Pending, now),
                Delivery(oldDone, Guid.NewGuid(), DeliveryState.Sent, now),
                Delivery(recentDone, Guid.NewGuid(), DeliveryState.Failed, new DateTimeOffset(2031, 12, 1, 0, 0, 0, TimeSpan.Zero)),
                Delivery(pendingOther, Guid.NewGuid(), DeliveryState.Pending, now),
                new Notification { Id = notificationOfDue, UserId = user, DeadlineId = Guid.NewGuid(), CaseId = due, Text = "Ärende", CreatedAt = now },
                new Notification { Id = notificationOfDueReport, UserId = user, DeadlineId = deadline, ConcernReportId = dueReport, Text = "Anmälan", CreatedAt = now },
                new Notification { Id = notificationOfOpen, UserId = user, DeadlineId = Guid.NewGuid(), CaseId = open, Text = "Ärende", CreatedAt = now });
            return await db.SaveChangesAsync();
        });

        await MoveClockToAsync(new DateTimeOffset(2032, 1, 1, 0, 30, 0, TimeSpan.Zero));
        await AsIfFiveYearsHadPassedForTheDatabaseAsync();
        var report = await RunRetentionAsync();

        Assert.Contains(due, report.Cases);
        Assert.Contains(dueReport, report.ConcernReports);
        var deliveries = await WithDbAsync(db => db.Set<ReminderDelivery>().Select(d => d.Id).ToListAsync());
        var notifications = await WithDbAsync(db => db.Set<Notification>().Select(n => n.Id).ToListAsync());
        Assert.DoesNotContain(pendingOfDue, deliveries);
        Assert.DoesNotContain(oldDone, deliveries);
        Assert.Contains(recentDone, deliveries);
        Assert.Contains(pendingOther, deliveries);
        Assert.DoesNotContain(notificationOfDue, notifications);
        Assert.DoesNotContain(notificationOfDueReport, notifications);
        Assert.Contains(notificationOfOpen, notifications);
    }
}
