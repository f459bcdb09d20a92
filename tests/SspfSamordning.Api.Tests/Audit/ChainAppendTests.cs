using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The chain's append as a save meets it (issue 22, round thirteen, written for the one-round-trip append that was measured
/// and not adopted — bench/results/load.md, "Round thirteen (issue 22, chainhead)" — and kept for any append): another
/// instance appending to the stripe between two saves, twenty saves to one stripe at once, and a save whose events cannot
/// be inserted after EF saved its change — each change and its events committed exactly once or not at all, every
/// stripe's sequences consecutive, the chain verifiable.
/// </summary>
public sealed class ChainAppendTests : AuditLogHarness
{
    [Fact]
    public async Task AnAppendByAnotherInstanceBetweenTwoSaves_LeavesTheNextSaveItsChangeAndEventsCommittedOnce()
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

        // Another instance appends to the case's stripe between this instance's saves.
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

    /// <summary>An event that cannot be inserted, after EF saved the change: the save leaves nothing, and the next save chains on.</summary>
    [Fact]
    public async Task ASaveWhoseEventsCannotBeInserted_LeavesNothing_AndTheNextSaveChainsOn()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await TransitionAsync(coordinator, caseId, "Close");
        var (events, version) = (await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """), await Raw.ScalarAsync(VersionSql(caseId)));

        await FailEveryAsync("INSERT", "AccessEvents");
        var refused = await coordinator.CaseTransitionAsync(caseId, "Reopen");
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
        var response = await client.CaseTransitionAsync(caseId, trigger);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

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
