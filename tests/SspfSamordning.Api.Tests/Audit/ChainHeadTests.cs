using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// Issue 22, round thirteen: on PostgreSQL an append that commits links its events to the head its app remembers for the
/// stripe and sends the lock, a check of that head, the INSERT and the COMMIT in one round trip (AuditChain.AppendAsync).
/// The remembered head is a hint the database checks: when another instance appended meanwhile the save falls back to
/// reading the head, and nothing is lost or written twice. (On SQLite every append reads the head: the same outcomes.)
/// </summary>
public sealed class ChainHeadTests : AuditLogHarness
{
    [Fact]
    public async Task AnAppendByAnotherInstanceBetweenTwoSaves_MakesTheNextSaveFallBack_AndItsChangeAndEventsAreCommittedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await TransitionAsync(coordinator, caseId, "Close");
        var before = await CaseEventsAsync(caseId);
        await TransitionAsync(coordinator, caseId, "Reopen");
        var aReopenWrites = await CaseEventsAsync(caseId) - before;
        await TransitionAsync(coordinator, caseId, "Close");
        var version = await Raw.ScalarAsync(VersionSql(caseId));

        // Another instance (its own memory of the heads) appends to the case's stripe: this instance's memory is stale.
        var foreign = new AccessEvent { At = AccessEvent.Instant(Factory.Clock.GetUtcNow()), Action = AuditAction.Read, CaseId = caseId, CorrelationId = "another-instance" };
        await using (var other = SspfApiFactory.SharingDatabaseWith(Factory))
            await other.Services.GetRequiredService<AuditLog>().AppendAsync(foreign, ct);

        before = await CaseEventsAsync(caseId);
        var reopened = await TransitionAsync(coordinator, caseId, "Reopen");
        Assert.Equal("Opened", reopened.GetProperty("state").GetString());
        Assert.Equal(aReopenWrites, await CaseEventsAsync(caseId) - before);
        Assert.Equal(long.Parse(version!, CultureInfo.InvariantCulture) + 1, long.Parse((await Raw.ScalarAsync(VersionSql(caseId)))!, CultureInfo.InvariantCulture));
        await AssertConsecutiveAsync(AuditChain.StripeOf(caseId));
        Assert.Equal("1", await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "CorrelationId" = 'another-instance'"""));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task TwentySavesToOneStripeAtOnce_AreAllCommitted_WithConsecutiveSequences_AndTheChainVerifies()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var stripe = AuditChain.StripeOf(caseId);
        var at = AccessEvent.Instant(Factory.Clock.GetUtcNow());
        var ids = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var e = new AccessEvent { At = at, Action = AuditAction.Read, CaseId = caseId, CorrelationId = $"concurrent-{i}" };
            db.AccessEvents.Add(e);
            await db.SaveChangesAsync(ct);
            ids.Add(e.Id);
        }, ct)));

        Assert.Equal(20, ids.Distinct().Count());
        Assert.Equal("20", await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "CorrelationId" LIKE 'concurrent-%' AND "Stripe" = {stripe}"""));
        await AssertConsecutiveAsync(stripe);
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>
    /// A warm transition's save: the stripe's lock is taken in the round trip that inserts its events and commits, and no
    /// round trip of its own reads the stripe's head (before: the locks and heads in one round trip, the INSERT and the
    /// COMMIT in the next). Counted as Npgsql's round trips (one traced command or batch each) on this test's database.
    /// </summary>
    [Fact]
    public async Task AWarmTransition_LocksChecksInsertsAndCommitsItsEventsInOneRoundTrip()
    {
        if (Factory.Provider != "Postgres") Assert.Skip("Only PostgreSQL appends from the remembered head.");
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await TransitionAsync(coordinator, caseId, "Close");
        await TransitionAsync(coordinator, caseId, "Reopen");

        var database = new NpgsqlConnectionStringBuilder(Factory.ConnectionString).Database;
        var roundTrips = new ConcurrentQueue<string>();
        var seen = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // The tags of OpenTelemetry's stable database conventions, or the older ones.
            ActivityStopped = a =>
            {
                if (seen.Count < 3) seen.Enqueue(string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}")));
                if ((a.GetTagItem("db.namespace") ?? a.GetTagItem("db.name")) as string == database)
                    roundTrips.Enqueue((a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) as string ?? string.Join(", ", a.TagObjects.Select(t => t.Key)));
            },
        };
        ActivitySource.AddActivityListener(listener);
        await TransitionAsync(coordinator, caseId, "Close");
        listener.ActivityStopped = null;

        var all = string.Join("\n---\n", roundTrips);
        var locking = roundTrips.Where(s => s.Contains("pg_advisory_xact_lock(" + AuditChain.AppendLockKey.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList();
        Assert.True(locking.Count > 0, $"{all}\nactivities seen: {string.Join("\n", seen)}");
        foreach (var batch in locking)
        {
            Assert.Contains("INSERT INTO \"AccessEvents\"", batch, StringComparison.Ordinal);
            Assert.EndsWith("COMMIT", batch, StringComparison.Ordinal);
        }
        // No round trip of its own reads a head or inserts events: both go with a lock.
        Assert.All(roundTrips.Where(s => s.Contains("ORDER BY \"Sequence\" DESC LIMIT 1", StringComparison.Ordinal)
            || s.Contains("INSERT INTO \"AccessEvents\"", StringComparison.Ordinal)), s => Assert.Contains(s, locking));
    }

    /// <summary>An event that cannot be inserted, after EF saved the change: the one-round-trip batch leaves nothing, and the next save chains on.</summary>
    [Fact]
    public async Task AWarmSaveWhoseEventsCannotBeInserted_LeavesNothing_AndTheNextSaveChainsOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await TransitionAsync(coordinator, caseId, "Close");
        var (events, version) = (await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """), await Raw.ScalarAsync(VersionSql(caseId)));

        await FailEveryAsync("INSERT", "AccessEvents");
        var refused = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Reopen" }, ct);
        await StopFailingAsync("AccessEvents");

        Assert.False(refused.IsSuccessStatusCode);
        Assert.Equal(events, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
        Assert.Equal(version, await Raw.ScalarAsync(VersionSql(caseId)));
        Assert.Equal("Opened", (await TransitionAsync(coordinator, caseId, "Reopen")).GetProperty("state").GetString());
        await AssertConsecutiveAsync(AuditChain.StripeOf(caseId));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    private static async Task<System.Text.Json.JsonElement> TransitionAsync(SspfClient client, Guid caseId, string trigger)
    {
        var response = await client.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            trigger == "Close" ? new { trigger, closeReason = "GoalsReached" } : (object)new { trigger });
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private string VersionSql(Guid caseId) => $"""SELECT "Version" FROM "Cases" WHERE "Id" = {Factory.Sql.Literal(caseId)}""";

    private async Task<long> CaseEventsAsync(Guid caseId) =>
        long.Parse((await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "CaseId" = {Factory.Sql.Literal(caseId)}"""))!, CultureInfo.InvariantCulture);

    /// <summary>The stripe's sequences run 1, 2, 3, … with no gap and no repeat.</summary>
    private async Task AssertConsecutiveAsync(short stripe)
    {
        var count = await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "Stripe" = {stripe}""");
        Assert.Equal(count, await Raw.ScalarAsync($"""SELECT COUNT(DISTINCT "Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}"""));
        Assert.Equal(count, await Raw.ScalarAsync($"""SELECT MAX("Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}"""));
    }
}
