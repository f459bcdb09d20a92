using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>
/// Issue 16: "one open case per youth and municipality" is checked in one place under one lock for opening and reopening.
/// Reopening used to check without the lock that opening takes, so a concurrent opening and reopening for one youth could
/// both succeed. These race the two for real (on PostgreSQL truly in parallel; SQLite serialises the writers).
/// </summary>
public sealed class OneOpenCaseRaceTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task ConcurrentOpenAndReopen_ForOneYouth_ExactlyOneWins_TheOtherIs409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        for (var round = 0; round < 8; round++)
        {
            var personnummer = TestPersonnummer.AgedOn(15, factory.Clock.GetUtcNow());
            var closedId = await scenario.OpenCaseAsync(personnummer: personnummer);
            await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{closedId}/transitions", new { trigger = "Close", closeReason = "NotRelevant" }))
                .EnsureStatusAsync(HttpStatusCode.OK);

            // Alternate who is sent first so that each wins some rounds on a machine that favours one.
            var reopen = () => coordinator.Http.PostAsJsonAsync($"/api/cases/{closedId}/transitions", new { trigger = "Reopen" });
            var open = () => scenario.OpenCaseResponseAsync(personnummer);
            Task<HttpResponseMessage> reopening, opening;
            if (round % 2 == 0) { reopening = reopen(); opening = open(); }
            else { opening = open(); reopening = reopen(); }
            var reopenResponse = await reopening;
            var openResponse = await opening;

            var reopened = reopenResponse.StatusCode == HttpStatusCode.OK;
            var opened = openResponse.StatusCode == HttpStatusCode.Created;
            Assert.True(reopened != opened, $"round {round}: reopen {reopenResponse.StatusCode}, open {openResponse.StatusCode}; exactly one may win");
            var loser = reopened ? openResponse : reopenResponse;
            await loser.EnsureStatusAsync(HttpStatusCode.Conflict);
            Assert.Equal("DuplicateOpenCase", (await loser.JsonAsync()).GetProperty("code").GetString());
            Assert.Equal(reopened ? "Opened" : "Closed", await scenario.CaseStateAsync(closedId));
            if (reopened) // the refused opening names the reopened case, which the coordinator sees
                Assert.Equal(closedId, (await loser.JsonAsync()).GetProperty("existingCaseId").GetGuid());
        }
    }

    [Fact]
    public async Task Reopen_WhenTheYouthHasAnotherOpenCase_Is409AndTheCaseStaysClosed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var personnummer = TestPersonnummer.AgedOn(16, factory.Clock.GetUtcNow());
        var closedId = await scenario.OpenCaseAsync(personnummer: personnummer);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{closedId}/transitions", new { trigger = "Close", closeReason = "NotRelevant" }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        await scenario.OpenCaseAsync(personnummer: personnummer);

        var reopen = await coordinator.Http.PostAsJsonAsync($"/api/cases/{closedId}/transitions", new { trigger = "Reopen" });
        await reopen.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("DuplicateOpenCase", (await reopen.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("Closed", await scenario.CaseStateAsync(closedId));
        // Another youth's open case in the same municipality does not stand in the way.
        await scenario.OpenCaseAsync(personnummer: TestPersonnummer.AgedOn(13, factory.Clock.GetUtcNow()));
        var other = await scenario.OpenCaseAsync(personnummer: TestPersonnummer.AgedOn(12, factory.Clock.GetUtcNow()));
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{other}/transitions", new { trigger = "Close", closeReason = "NotRelevant" })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{other}/transitions", new { trigger = "Reopen" })).EnsureStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// The blind index's bucket is shared by design (12 bits: at 10,000 cases of a municipality about two and a half per
    /// bucket), so the rule is decided by the decrypted personnummer, not by the bucket: another youth's open case in the
    /// same bucket stands in the way of neither an opening nor a reopening, and the youth's own still does — and a search
    /// finds the one youth's cases only.
    /// </summary>
    [Fact]
    public async Task AnotherYouthInTheSameBlindIndexBucket_BlocksNeitherOpeningNorReopening_TheYouthsOwnCaseStillDoes()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var (youth, bucketMate) = TwoInOneBucket(factory);
        var youthsCase = await scenario.OpenCaseAsync(personnummer: youth);

        var matesCase = await scenario.OpenCaseAsync(personnummer: bucketMate);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{matesCase}/transitions", new { trigger = "Close", closeReason = "NotRelevant" }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{matesCase}/transitions", new { trigger = "Reopen" }))
            .EnsureStatusAsync(HttpStatusCode.OK);

        var again = await scenario.OpenCaseResponseAsync(youth);
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal(youthsCase, (await again.JsonAsync()).GetProperty("existingCaseId").GetGuid());
        var found = await (await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer = bucketMate })).JsonAsync();
        Assert.Equal([matesCase], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }

    /// <summary>Two personnummer in one blind-index bucket, of youths born on a day no other test's youth is.</summary>
    internal static (string, string) TwoInOneBucket(SspfApiFactory factory)
    {
        var index = factory.Services.GetRequiredService<BlindIndex>();
        // 4,096 buckets: among 300 personnummer two share one with a probability of 1 - e^(-300²/8192) > 0.99998. Born on
        // a day no other test's youth is (TestPersonnummer's are 30 days past a birthday), so none of theirs is taken.
        var born = SspfSamordning.Domain.SwedishCalendar.DateOf(factory.Clock.GetUtcNow()).AddYears(-15).AddDays(-123);
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 300; i++)
        {
            var personnummer = SspfSamordning.Domain.Personnummer.Fictitious(born, i);
            var bucket = index.Compute(personnummer);
            if (seen.TryGetValue(bucket, out var earlier) && earlier != personnummer) return (earlier, personnummer);
            seen[bucket] = personnummer;
        }
        throw new InvalidOperationException("no two of 300 personnummer share a bucket");
    }

    [Fact]
    public async Task TheLock_IsPerYouth_AnotherYouthOfTheMunicipalityDoesNotWait()
    {
        if (!factory.Sql.IsServer) Assert.Skip("SQLite's write transaction is exclusive: there every writer waits for the other anyway.");
        var ct = TestContext.Current.CancellationToken;
        var municipality = Guid.NewGuid();
        using var holderScope = factory.Services.CreateScope();
        var holder = holderScope.ServiceProvider.GetRequiredService<SspfDbContext>();
        await using var held = await holder.Database.BeginTransactionAsync(ct);
        await OneOpenCase.LockAndFindOtherAsync(holder, municipality, "youth-a", "20100101-0000", null, ct);

        // Another youth of the same municipality takes its own lock at once.
        await using (var other = await LockInNewTransactionAsync(municipality, "youth-b", ct))
        {
            Assert.True(await other.DoneWithinAsync(TimeSpan.FromSeconds(10)), "another youth's opening waited for this one's lock");
        }

        // The same youth waits until the holder's transaction ends.
        await using var same = await LockInNewTransactionAsync(municipality, "youth-a", ct);
        Assert.False(await same.DoneWithinAsync(TimeSpan.FromMilliseconds(700)), "the same youth's second check did not wait for the lock");
        await held.CommitAsync(ct);
        Assert.True(await same.DoneWithinAsync(TimeSpan.FromSeconds(10)), "the lock was not released with the transaction");
    }

    [Fact]
    public async Task ConcurrentOpenings_OfDifferentYouths_GetDistinctConsecutiveCaseNumbers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var first = await scenario.GetCaseAsync(await scenario.OpenCaseAsync()); // the year's counter exists
        var openings = Enumerable.Range(0, 12)
            .Select(i => scenario.OpenCaseResponseAsync(TestPersonnummer.AgedOn(10 + i % 8, factory.Clock.GetUtcNow()))).ToList();
        var numbers = new List<int>();
        foreach (var opening in openings)
        {
            var response = await opening;
            await response.EnsureStatusAsync(HttpStatusCode.Created);
            numbers.Add(Serial((await response.JsonAsync()).GetProperty("caseNumber").GetString()!));
        }
        // Nothing handed out twice, no gap, all after the first one's.
        Assert.Equal(Enumerable.Range(Serial(first.GetProperty("caseNumber").GetString()!) + 1, 12), numbers.Order());
        static int Serial(string caseNumber) => int.Parse(caseNumber.Split('-')[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Issue 22: openings of one municipality queue for the case-number counter on an advisory lock, first come first
    /// served — on the counter row's lock alone, an opening woken by a commit could find the row's next version already
    /// taken by a newcomer, and the tail of case creation grew (p95 231 → 871 ms, bench/results/load.md).
    /// </summary>
    [Fact]
    public async Task Openings_QueueForTheCaseNumber_InTheOrderTheyArrived()
    {
        if (factory.Provider != "Postgres") Assert.Skip("SQLite's write transaction is exclusive: openings queue on it, not on a lock of the counter.");
        var scenario = await CaseScenario.CreateAsync(factory);
        await scenario.OpenCaseAsync(); // the year's counter exists
        var key = CaseNumbers.LockKey(await scenario.MunicipalityIdAsync(), SspfSamordning.Domain.SwedishCalendar.DateOf(factory.Clock.GetUtcNow()).Year);
        await using var holder = await new RawDatabase(factory).OpenAsync();
        await RawDatabase.ExecuteOnAsync(holder, $"BEGIN; SELECT pg_advisory_xact_lock({key})");

        var earlier = scenario.OpenCaseResponseAsync(TestPersonnummer.AgedOn(15, factory.Clock.GetUtcNow()));
        await WaitForWaitersAsync(1);
        var later = scenario.OpenCaseResponseAsync(TestPersonnummer.AgedOn(16, factory.Clock.GetUtcNow()));
        await WaitForWaitersAsync(2);
        Assert.False(earlier.IsCompleted || later.IsCompleted, "an opening took a case number while the counter's lock was held");
        await RawDatabase.ExecuteOnAsync(holder, "COMMIT");

        var numbers = new List<string>();
        foreach (var opening in new[] { earlier, later })
        {
            var response = await opening;
            await response.EnsureStatusAsync(HttpStatusCode.Created);
            numbers.Add((await response.JsonAsync()).GetProperty("caseNumber").GetString()!);
        }
        Assert.True(string.CompareOrdinal(numbers[0], numbers[1]) < 0, $"the earlier opening got {numbers[0]}, the later {numbers[1]}");

        async Task WaitForWaitersAsync(int count)
        {
            await using var probe = await new RawDatabase(factory).OpenAsync();
            for (var i = 0; i < 200; i++)
            {
                await using var command = probe.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {(uint)key} AND classid = {(uint)(key >> 32)}";
                if (Convert.ToInt32(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture) >= count) return;
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            Assert.Fail($"{count} opening(s) did not queue on the case-number counter's lock");
        }
    }

    private async Task<LockAttempt> LockInNewTransactionAsync(Guid municipality, string bucket, CancellationToken ct)
    {
        var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var transaction = await db.Database.BeginTransactionAsync(ct);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new LockAttempt(scope, transaction, cancel, OneOpenCase.LockAndFindOtherAsync(db, municipality, bucket, "20100101-0000", null, cancel.Token));
    }

    /// <summary>A second transaction's check, running; disposing it cancels a check still waiting and rolls back.</summary>
    private sealed record LockAttempt(IServiceScope Scope, IDbContextTransaction Transaction, CancellationTokenSource Cancel, Task Locking) : IAsyncDisposable
    {
        public async Task<bool> DoneWithinAsync(TimeSpan timeout) => await Task.WhenAny(Locking, Task.Delay(timeout)) == Locking;

        public async ValueTask DisposeAsync()
        {
            await Cancel.CancelAsync();
            try { await Locking; } catch (OperationCanceledException) { /* it was still waiting: the test has failed already */ }
            await Transaction.RollbackAsync();
            await Transaction.DisposeAsync();
            Cancel.Dispose();
            Scope.Dispose();
        }
    }
}
