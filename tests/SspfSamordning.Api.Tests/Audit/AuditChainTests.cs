using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Retention;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The hash chains show any change, deletion or reordering of the log, naming the first broken event. The log is
/// <see cref="AuditChain.Stripes"/> chains (stripes); the tampering targets the stripe of one case, which the activity
/// fills with a dozen events (<see cref="stripe"/>).
/// </summary>
public sealed class AuditChainTests : AuditLogHarness
{
    /// <summary>The case <see cref="SomeActivityAsync"/> reads again and again, and its stripe.</summary>
    private Guid readCase;
    private short stripe;

    /// <summary>Where (<see cref="stripe"/>, <paramref name="sequence"/>) is, in SQL.</summary>
    private string At(long sequence) => $"""
        "Stripe" = {stripe} AND "Sequence" = {sequence}
        """;

    /// <summary>Some cases, reads (one case's ten times), a refusal and logins: a log of a few dozen events in several stripes.</summary>
    private async Task<long> SomeActivityAsync()
    {
        var caseId = readCase = await Scenario.OpenCaseAsync();
        stripe = AuditChain.StripeOf(caseId);
        await Scenario.OpenCaseAsync(age: 16);
        var coordinator = await Scenario.As("samordnare");
        for (var i = 0; i < 10; i++) await coordinator.Http.GetAsync($"/api/cases/{caseId}");
        await coordinator.Http.GetAsync("/api/cases");
        await (await Scenario.As("polis")).Http.GetAsync($"/api/cases/{caseId}");
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean());
        return verified.GetProperty("checkedEvents").GetInt64();
    }

    private async Task<Guid> IdAtAsync(long sequence) => await IdAtAsync(stripe, sequence);

    private async Task<Guid> IdAtAsync(int inStripe, long sequence) =>
        Guid.Parse((await Raw.ScalarAsync($"""SELECT "Id" FROM "AccessEvents" WHERE "Stripe" = {inStripe} AND "Sequence" = {sequence}"""))!);

    private async Task<long> CountAsync(string where = "1 = 1") =>
        long.Parse((await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE {where}"""))!);

    /// <summary>Each stripe's sequences, as (count, min, max): a chain without gaps has min 1 and max = count.</summary>
    private async Task<Dictionary<int, (long Count, long Min, long Max)>> StripesAsync()
    {
        var stripes = new Dictionary<int, (long, long, long)>();
        await using var connection = await Raw.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Stripe", COUNT(*), MIN("Sequence"), MAX("Sequence") FROM "AccessEvents" GROUP BY "Stripe" """;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            stripes[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] =
                (Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(2), reader.GetInt64(3));
        return stripes;
    }

    [Fact]
    public async Task Verify_UntouchedLog_IsValidAndChecksEveryEvent()
    {
        var count = await SomeActivityAsync();
        var stored = long.Parse((await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """))!);
        Assert.True(count >= 10, $"{count} events");
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.InRange(verified.GetProperty("checkedEvents").GetInt64(), stored, stored + 1); // + the Granskare's own sign-in, at most
        Assert.Equal(System.Text.Json.JsonValueKind.Null, verified.GetProperty("firstBrokenEventId").ValueKind);
        // Several chains, each without a gap; the case's events all in its stripe.
        var stripes = await StripesAsync();
        Assert.True(stripes.Count > 1, $"{stripes.Count} stripe(s)");
        Assert.All(stripes, s => Assert.Equal((s.Value.Count, 1L), (s.Value.Max, s.Value.Min)));
        Assert.True(stripes[stripe].Count >= 12, $"{stripes[stripe].Count} events in the case's stripe");
    }

    [Theory]
    [InlineData("Categories", "\"Categories\" || 'Health'")]
    [InlineData("Action", "CASE WHEN \"Action\" = 'List' THEN 'Read' ELSE 'List' END")]
    [InlineData("Decision", "CASE WHEN \"Decision\" = 'Allowed' THEN 'Refused' ELSE 'Allowed' END")]
    [InlineData("CorrelationId", "\"CorrelationId\" || '0'")]
    [InlineData("Hash", "'0000000000000000000000000000000000000000000000000000000000000000'")]
    public async Task Verify_AChangedRow_IsBrokenAtThatRow(string column, string value)
    {
        await SomeActivityAsync();
        var target = await IdAtAsync(5);
        var changed = await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "{column}" = {value} WHERE {At(5)}""");
        Assert.Equal(1, changed);
        var before = await CountAsync($"""
            "Stripe" < {stripe}
            """);

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(target, verified.GetProperty("firstBrokenEventId").GetGuid());
        Assert.Equal(before + 5, verified.GetProperty("checkedEvents").GetInt64()); // the stripes before it, then five
    }

    [Fact]
    public async Task Verify_ADeletedRow_IsBrokenAtTheRowAfterIt()
    {
        await SomeActivityAsync();
        var next = await IdAtAsync(6);
        Assert.Equal(1, await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE {At(5)}"""));

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(next, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    [Fact]
    public async Task Verify_TwoSwappedRows_IsBrokenAtTheFirstOfThem()
    {
        await SomeActivityAsync();
        var sixth = await IdAtAsync(6);
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Sequence" = -1 WHERE {At(5)}""");
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Sequence" = 5 WHERE {At(6)}""");
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Sequence" = 6 WHERE {At(-1)}""");

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(sixth, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    /// <summary>The canonical form of main before the log was striped (e24b20b), verbatim: what every stored hash was made of.</summary>
    private static string OneChainCanonical(AccessEvent e) => System.Text.Json.JsonSerializer.Serialize(new object?[]
    {
        "v1", e.Id, e.Sequence, e.At.UtcTicks, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(),
        e.CaseId, e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId, e.PreviousHash,
    });

    private static string OneChainHash(AccessEvent e) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(OneChainCanonical(e))));

    /// <summary>
    /// Every event written before the log was striped is in stripe 0, and its hash is still the hash of its content; an
    /// event of another stripe hashes its stripe with it. Then a log whose stripe 0 was written by the one-chain code (the
    /// events of the activity re-linked into one chain by the old canonical form, as the migration leaves them) verifies.
    /// </summary>
    [Fact]
    public async Task AnOldOneChainLog_StillVerifies_AndTheStripeIsHashedOnlyWhenNotZero()
    {
        var sample = new AccessEvent
        {
            Sequence = 7, At = AccessEvent.Instant(DateTimeOffset.UtcNow), ActorUserId = Guid.NewGuid(), Roles = "Samordnare",
            Action = AuditAction.Read, CaseId = Guid.NewGuid(), EntityType = "Case", Categories = "Basic", CorrelationId = "c", PreviousHash = AuditChain.Genesis,
        };
        Assert.Equal(OneChainHash(sample), AuditChain.ComputeHash(sample));
        sample.Stripe = 3;
        Assert.NotEqual(OneChainHash(sample), AuditChain.ComputeHash(sample));

        await SomeActivityAsync();
        // Re-link every event into one chain in stripe 0, in (time, stripe, sequence) order, with the old code's hash.
        List<AccessEvent> events;
        await using (var scope = Factory.Services.CreateAsyncScope())
            events = await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AccessEvents.AsNoTracking()
                .OrderBy(e => e.At).ThenBy(e => e.Stripe).ThenBy(e => e.Sequence).ToListAsync();
        await Raw.ExecuteAsync("""UPDATE "AccessEvents" SET "Stripe" = "Stripe" + 100"""); // out of the way of the unique (stripe, sequence)
        var previous = AuditChain.Genesis;
        long sequence = 0;
        foreach (var e in events)
        {
            var old = new AccessEvent
            {
                Id = e.Id, Sequence = ++sequence, At = e.At, ActorUserId = e.ActorUserId, Roles = e.Roles, Party = e.Party,
                MunicipalityId = e.MunicipalityId, Action = e.Action, CaseId = e.CaseId, EntityType = e.EntityType, EntityId = e.EntityId,
                Categories = e.Categories, Purpose = e.Purpose, Decision = e.Decision, CorrelationId = e.CorrelationId, PreviousHash = previous,
            };
            old.Hash = previous = OneChainHash(old);
            Assert.Equal(1, await Raw.ExecuteAsync($"""
                UPDATE "AccessEvents" SET "Stripe" = 0, "Sequence" = {old.Sequence}, "PreviousHash" = '{old.PreviousHash}', "Hash" = '{old.Hash}'
                WHERE "Id" = {Factory.Sql.Literal(old.Id)}
                """));
        }
        Assert.Equal([0], (await StripesAsync()).Keys);
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        Assert.Equal(events.Count, verified.GetProperty("checkedEvents").GetInt64());

        // New appends go on from there: stripe 0 continues the old chain, the other stripes start their own.
        await (await Scenario.As("samordnare")).Http.GetAsync($"/api/cases/{readCase}");
        await (await Scenario.As("samordnare")).Http.GetAsync("/api/cases");
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
        Assert.True((await StripesAsync()).Count > 1);
    }

    /// <summary>An event moved to the end of another stripe, with that stripe's head as its previous hash, still does not chain there.</summary>
    [Fact]
    public async Task Verify_AnEventMovedToAnotherStripe_IsBroken()
    {
        await SomeActivityAsync();
        var moved = await IdAtAsync(5);
        var next = await IdAtAsync(6);
        var stripes = await StripesAsync();
        var other = stripes.Keys.First(k => k != stripe);
        var otherHead = stripes[other].Max;
        var otherHash = await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE "Stripe" = {other} AND "Sequence" = {otherHead}""");
        Assert.Equal(1, await Raw.ExecuteAsync(
            $"""UPDATE "AccessEvents" SET "Stripe" = {other}, "Sequence" = {otherHead + 1}, "PreviousHash" = '{otherHash}' WHERE {At(5)}"""));

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        // The first broken event in stripe order: the moved one (its hash covers its stripe, sequence and previous hash), or
        // the one after the gap it left.
        Assert.Equal(other < stripe ? moved : next, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    /// <summary>Only the stripe column changed (to a stripe with no event at that sequence): the event's own hash no longer matches.</summary>
    [Fact]
    public async Task Verify_AnEventsStripeChanged_IsBroken()
    {
        await SomeActivityAsync();
        var (head, _) = await HeadAsync();
        var target = await IdAtAsync(head);
        var stripes = await StripesAsync();
        var other = AuditChain.AllStripes.First(s => s != stripe && (!stripes.TryGetValue(s, out var x) || x.Max == head - 1));
        Assert.Equal(1, await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Stripe" = {other} WHERE {At(head)}"""));

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(target, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    /// <summary>Two events of two stripes trade places (stripe and sequence): both break.</summary>
    [Fact]
    public async Task Verify_TwoStripesEventsSwapped_IsBroken()
    {
        await SomeActivityAsync();
        var stripes = await StripesAsync();
        var other = stripes.Keys.First(k => k != stripe);
        var mine = await IdAtAsync(1);
        var theirs = await IdAtAsync(other, 1);
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Sequence" = -1 WHERE {At(1)}""");
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Stripe" = {stripe} WHERE "Stripe" = {other} AND "Sequence" = 1""");
        await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Stripe" = {other}, "Sequence" = 1 WHERE "Stripe" = {stripe} AND "Sequence" = -1""");
        Assert.Equal(mine, await IdAtAsync(other, 1));

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(other < stripe ? mine : theirs, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    /// <summary>
    /// The newest events of one stripe removed beyond that stripe's checkpoint — every other stripe intact, and the removed
    /// part a valid prefix of its chain: only the checkpoint tells.
    /// </summary>
    [Fact]
    public async Task Verify_AnotherStripesNewestEventsRemovedBeyondItsCheckpoint_IsBroken()
    {
        await SomeActivityAsync();
        await TakeCheckpointAsync();
        var stripes = await StripesAsync();
        var (other, (_, _, head)) = stripes.Where(s => s.Key != stripe).OrderByDescending(s => s.Value.Max).Select(s => (s.Key, s.Value)).First();
        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Stripe" = {other} AND "Sequence" = {head}""");

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Contains($"Stripe {other} of the log ends at event {head - 1}, before the checkpoint at event {head}", verified.GetProperty("problem").GetString());
    }

    /// <summary>
    /// Many audited saves at once — transitions of different cases (different stripes) and of the same case, reads of one
    /// case and lists of all of them (one save holding many stripes' locks, taken in ascending order) — then every stripe
    /// is a chain without gaps, and it verifies. On PostgreSQL two saves that took stripes in opposite orders would deadlock
    /// (an error, not a hang): none may fail.
    /// </summary>
    [Fact]
    public async Task ConcurrentAuditedSaves_OnDifferentCasesAndTheSameCase_KeepEveryStripeUnbroken()
    {
        var cases = new List<Guid>();
        for (var age = 10; age <= 15; age++) cases.Add(await Scenario.OpenCaseAsync(age: age));
        var coordinator = await Scenario.As("samordnare");
        var before = await CountAsync();
        var different = cases.Select(c => CloseAndReopenAsync(coordinator, c)).ToList();
        // The same case from two more callers at once: each transition is permitted or refused (409), never an error.
        var same = Enumerable.Range(0, 2).Select(_ => CloseAndReopenAsync(coordinator, cases[0])).ToList();
        var reads = Enumerable.Range(0, 10).Select(i => coordinator.Http.GetAsync(i % 2 == 0 ? $"/api/cases/{cases[1]}" : "/api/cases")).ToList();
        await Task.WhenAll([.. different, .. same, .. reads]);

        Assert.All(different.Skip(1), t => Assert.All(t.Result, status => Assert.Equal(HttpStatusCode.OK, status)));
        Assert.All(different.Take(1).Concat(same), t => Assert.All(t.Result, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict })));
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.Result.StatusCode));
        Assert.True(await CountAsync() >= before + (5 * 6 * 2) + 10, "every transition's Change and Transition events, every read's");

        var stripes = await StripesAsync();
        Assert.True(stripes.Count > 1, $"{stripes.Count} stripe(s)");
        Assert.All(stripes, s => Assert.Equal((s.Value.Count, 1L), (s.Value.Max, s.Value.Min)));
        // One case's events are one stripe's.
        Assert.Equal(0, await CountAsync($"""
            "CaseId" = {Factory.Sql.Literal(cases[0])} AND "Stripe" <> {AuditChain.StripeOf(cases[0])}
            """));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>Closes and reopens the case three times (Reopen takes the youth's one-open-case lock); each answer's status.</summary>
    private static async Task<List<HttpStatusCode>> CloseAndReopenAsync(SspfClient coordinator, Guid caseId)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "GoalsReached" })).StatusCode);
            statuses.Add((await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Reopen" })).StatusCode);
        }
        return statuses;
    }

    /// <summary>
    /// A change saves its rows — and a reopening takes the youth's one-open-case lock — before it asks for its stripes'
    /// locks; a checkpoint and gallring hold every stripe's lock. Neither may then wait for a lock a change holds, or
    /// PostgreSQL would break the deadlock with an error (a 500, or a failed gallring). Transitions of different cases and
    /// of the same case, while checkpoints are taken and gallring erases the events of six years before, all succeed (or
    /// are refused as concurrent, 409), and the chain verifies.
    /// </summary>
    [Fact]
    public async Task ConcurrentChanges_WhileCheckpointsAndGallringHoldEveryStripe_NeitherDeadlockNorBreakTheChain()
    {
        var old = await Scenario.OpenCaseAsync(age: 16);
        var coordinator = await Scenario.As("samordnare");
        for (var i = 0; i < 5; i++) await coordinator.Http.GetAsync($"/api/cases/{old}");
        // Six years on: the events so far are due for gallring (on PostgreSQL by the database's clock as well).
        Factory.Clock.Advance(TimeSpan.FromDays(6 * 366));
        await Scenario.RenewSessionsAsync();
        if (HasRoles) await Raw.ExecuteAsync(ProviderSql.ZeroRetentionAge);
        var cases = new List<Guid>();
        for (var age = 10; age <= 15; age++) cases.Add(await Scenario.OpenCaseAsync(age: age));
        var auditor = await Scenario.As("granskare");

        async Task<List<HttpStatusCode>> CheckpointsAsync()
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++) statuses.Add((await auditor.Http.PostAsync("/api/audit/checkpoints", null)).StatusCode);
            return statuses;
        }
        async Task<int> GallringAsync()
        {
            var erased = 0;
            for (var i = 0; i < 3; i++)
                erased += (await ActivatorUtilities.CreateInstance<RetentionJob>(Factory.Services).RunAsync(CancellationToken.None)).AccessEvents;
            return erased;
        }
        var different = cases.Select(c => CloseAndReopenAsync(coordinator, c)).ToList();
        var same = Enumerable.Range(0, 2).Select(_ => CloseAndReopenAsync(coordinator, cases[0])).ToList();
        var checkpoints = CheckpointsAsync();
        var gallring = GallringAsync();
        await Task.WhenAll([.. different, .. same, checkpoints, gallring]);

        Assert.All(different.Skip(1), t => Assert.All(t.Result, status => Assert.Equal(HttpStatusCode.OK, status)));
        Assert.All(different.Take(1).Concat(same), t => Assert.All(t.Result, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict })));
        Assert.All(await checkpoints, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.True(await gallring > 0, "gallring erased the old events while the changes ran");
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task Verify_IsForTheGranskareOnly()
    {
        await SomeActivityAsync();
        var coordinator = await Scenario.As("samordnare");
        await (await coordinator.Http.GetAsync("/api/audit/verify")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await coordinator.Http.GetAsync("/api/audit/events")).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ConcurrentReads_KeepOneUnbrokenChain()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => coordinator.Http.GetAsync($"/api/cases/{caseId}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        Assert.Equal(20, (await EventsAsync(caseId)).Count(e => Action(e) == "Read"));
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    /// <summary>Takes a checkpoint of every stripe's head (POST /api/audit/checkpoints) and returns the one of <see cref="stripe"/>.</summary>
    private async Task<System.Text.Json.JsonElement> TakeCheckpointAsync()
    {
        var response = await (await Scenario.As("granskare")).Http.PostAsync("/api/audit/checkpoints", null);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var heads = (await response.JsonAsync()).EnumerateArray().ToList();
        // One per stripe that has events, in stripe order, each at its stripe's head.
        var stripes = await StripesAsync();
        Assert.Equal(stripes.Keys.Order(), heads.Select(h => h.GetProperty("stripe").GetInt32()));
        Assert.All(heads, h => Assert.Equal(stripes[h.GetProperty("stripe").GetInt32()].Max, h.GetProperty("sequence").GetInt64()));
        return heads.Single(h => h.GetProperty("stripe").GetInt32() == stripe);
    }

    [Fact]
    public async Task Verify_NewestEventsRemovedAfterACheckpoint_IsBroken()
    {
        await SomeActivityAsync();
        var head = (await TakeCheckpointAsync()).GetProperty("sequence").GetInt64();
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());

        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Stripe" = {stripe} AND "Sequence" > {head - 3}""");

        var verified = await VerifyAsync();
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, verified.GetProperty("firstBrokenEventId").ValueKind);
        Assert.Contains($"Stripe {stripe} of the log ends at event {head - 3}, before the checkpoint at event {head}", verified.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Verify_AgainstAnExportedCheckpoint_SeesTruncation_EvenWhenTheStoredCheckpointsAreGone()
    {
        await SomeActivityAsync();
        await TakeCheckpointAsync();
        var auditor = await Scenario.As("granskare");
        var exported = (await (await auditor.Http.GetAsync("/api/audit/checkpoints?pageSize=100")).JsonAsync()).GetProperty("items")
            .EnumerateArray().Single(c => c.GetProperty("stripe").GetInt32() == stripe);
        var (sequence, hash) = (exported.GetProperty("sequence").GetInt64(), exported.GetProperty("hash").GetString());

        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Stripe" = {stripe} AND "Sequence" > {sequence - 2}""");
        await Raw.ExecuteAsync("""DELETE FROM "AuditCheckpoints" """);

        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean()); // what the database alone can tell
        var response = await auditor.Http.GetAsync($"/api/audit/verify?checkpointStripe={stripe}&checkpointSequence={sequence}&checkpointHash={hash}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.False((await response.JsonAsync()).GetProperty("valid").GetBoolean());
        // The same checkpoint named for another stripe does not lie on that one's chain either; a stripe the log lacks is refused.
        var other = (stripe + 1) % AuditChain.Stripes;
        Assert.False((await (await auditor.Http.GetAsync($"/api/audit/verify?checkpointStripe={other}&checkpointSequence={sequence}&checkpointHash={hash}")).JsonAsync())
            .GetProperty("valid").GetBoolean());
        await (await auditor.Http.GetAsync($"/api/audit/verify?checkpointStripe={AuditChain.Stripes}&checkpointSequence={sequence}&checkpointHash={hash}"))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Verify_ARewrittenEventUnderACheckpoint_IsBrokenThere()
    {
        await SomeActivityAsync();
        var head = (await TakeCheckpointAsync()).GetProperty("sequence").GetInt64();
        var target = await IdAtAsync(head);
        // Rewrite the checkpointed event (the head) consistently — new content, its hash recomputed — as an owner could.
        string rewritten;
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var e = await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AccessEvents.AsNoTracking().SingleAsync(x => x.Stripe == stripe && x.Sequence == head);
            var forged = new AccessEvent
            {
                Id = e.Id, Stripe = e.Stripe, Sequence = e.Sequence, At = e.At, ActorUserId = e.ActorUserId, Roles = e.Roles, Party = e.Party,
                MunicipalityId = e.MunicipalityId, Action = e.Action, CaseId = e.CaseId, EntityType = e.EntityType, EntityId = e.EntityId,
                Categories = e.Categories + ",Forged", Purpose = e.Purpose, Decision = e.Decision, CorrelationId = e.CorrelationId,
                PreviousHash = e.PreviousHash,
            };
            rewritten = AuditChain.ComputeHash(forged);
            Assert.Equal(1, await Raw.ExecuteAsync(
                $"""UPDATE "AccessEvents" SET "Categories" = '{forged.Categories}', "Hash" = '{rewritten}' WHERE {At(head)}"""));
        }

        var verified = await VerifyAsync();
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(target, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    [Fact]
    public async Task Checkpoints_AreForTheGranskareOnly()
    {
        var coordinator = await Scenario.As("samordnare");
        await (await coordinator.Http.GetAsync("/api/audit/checkpoints")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await coordinator.Http.PostAsync("/api/audit/checkpoints", null)).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    private async Task<object?> AsAppRoleAsync(string sql)
    {
        await using var connection = Factory.Sql.Connection(Factory.AppConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs <paramref name="sql"/> as the app's login and asserts the database refuses it for want of permission.</summary>
    private async Task<DbException> RefusedAsAppRoleAsync(string sql)
    {
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => AsAppRoleAsync(sql));
        Assert.True(Factory.Sql.IsRefusal(refused), $"{sql}: {refused.Message}");
        return refused;
    }

    /// <summary>The head of <see cref="stripe"/>.</summary>
    private async Task<(long Sequence, string Hash)> HeadAsync()
    {
        var head = long.Parse((await Raw.ScalarAsync($"""SELECT MAX("Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}"""))!);
        return (head, (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE {At(head)}"""))!);
    }

    /// <summary>
    /// The attack of issue 23: the app role plants an anchor just below the head (with that event's real hash) and calls
    /// gallring's function, which used to erase everything below it. Now the role cannot write an anchor, and the function
    /// refuses events younger than the owner's retention age (five years by the database's clock) — nothing is erased.
    /// </summary>
    [Fact]
    public async Task AppRole_CannotPlantAnAnchor_NorEraseYoungEvents()
    {
        if (!HasRoles) Assert.Skip("SQLite has no roles: the verifier is the control there (Verify_AnAnchorPlantedNearTheHead_IsBroken).");
        await SomeActivityAsync();
        var (head, _) = await HeadAsync();
        var below = (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE {At(head - 1)}"""))!;

        await RefusedAsAppRoleAsync(Factory.Sql.InsertCheckpoint(stripe, head - 1, below, "Anchor"));

        var erase = await Assert.ThrowsAnyAsync<DbException>(() => AsAppRoleAsync(Factory.Sql.EraseAccessEvents(stripe, head - 1)));
        Assert.Contains("younger than the retention age", erase.Message);

        Assert.Equal("1", await Raw.ScalarAsync($"""SELECT MIN("Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}"""));
        Assert.Equal(head, await CountAsync($"""
            "Stripe" = {stripe}
            """));
        Assert.Equal("0", await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AuditCheckpoints" WHERE "Kind" = 'Anchor'"""));
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    /// <summary>The app role may checkpoint the head — but only a head that lies on the chain, and the retention age is not its to change.</summary>
    [Fact]
    public async Task AppRole_WritesOnlyHeadCheckpointsOnTheChain_AndCannotChangeTheRetentionAge()
    {
        if (!HasRoles) Assert.Skip("SQLite has no roles.");
        await SomeActivityAsync();
        var (head, hash) = await HeadAsync();

        await RefusedAsAppRoleAsync(Factory.Sql.InsertCheckpoint(stripe, head, new string('0', 64), "Head"));
        // A head's hash and sequence named for another stripe: not on that chain.
        await RefusedAsAppRoleAsync(Factory.Sql.InsertCheckpoint((stripe + 1) % AuditChain.Stripes, head, hash, "Head"));
        await AsAppRoleAsync(Factory.Sql.InsertCheckpoint(stripe, head, hash, "Head")); // the ordinary checkpoint still works
        Assert.Equal("1", await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AuditCheckpoints" """));

        foreach (var sql in ProviderSql.RetentionAgeChanges.Append(Factory.Sql.CreateShadowFunction))
            await RefusedAsAppRoleAsync(sql);
        Assert.Equal("5", await Raw.ScalarAsync("SELECT access_log_retention_years FROM sspf_audit_settings"));
    }

    /// <summary>
    /// What the function does allow, once the events are older than the owner's retention age (set to zero here, as the
    /// owner would after five years): it writes the anchor itself — the erased event's own hash — and the chain verifies;
    /// the head is never erased.
    /// </summary>
    [Fact]
    public async Task AppRole_EraseFunction_WritesItsOwnAnchor_AndNeverErasesTheHead()
    {
        if (!HasRoles) Assert.Skip("SQLite has no roles: gallring deletes directly there.");
        await SomeActivityAsync();
        await Raw.ExecuteAsync(ProviderSql.ZeroRetentionAge);
        var (head, _) = await HeadAsync();

        var erasingHead = await Assert.ThrowsAnyAsync<DbException>(() => AsAppRoleAsync(Factory.Sql.EraseAccessEvents(stripe, head)));
        Assert.Contains("head of the access log is never erased", erasingHead.Message);

        var through = head - 3;
        var hash = (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE {At(through)}"""))!;
        var others = await CountAsync($"""
            "Stripe" <> {stripe}
            """);
        Assert.Equal(through, (long)(await AsAppRoleAsync(Factory.Sql.EraseAccessEvents(stripe, through)))!);

        Assert.Equal(hash, await Raw.ScalarAsync($"""SELECT "Hash" FROM "AuditCheckpoints" WHERE "Kind" = 'Anchor' AND "Stripe" = {stripe} AND "Sequence" = {through}"""));
        Assert.Equal((through + 1).ToString(), await Raw.ScalarAsync($"""SELECT MIN("Sequence") FROM "AccessEvents" WHERE "Stripe" = {stripe}"""));
        Assert.Equal(others, await CountAsync($"""
            "Stripe" <> {stripe}
            """)); // the other stripes untouched
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    /// <summary>
    /// The same attack where no role stops it (SQLite, or an owner on PostgreSQL): an anchor planted just below the head
    /// and every event beneath it deleted. The verifier fails because a checkpoint taken minutes ago lies in the erased
    /// part — stored, or (after the stored ones are deleted too) exported with its time — and because one exported at the
    /// anchor's sequence does not carry the anchor's hash when the anchor is forged.
    /// </summary>
    [Fact]
    public async Task Verify_AnAnchorPlantedNearTheHead_IsBroken()
    {
        await SomeActivityAsync();
        var taken = await TakeCheckpointAsync();
        var (sequence, hash, at) = (taken.GetProperty("sequence").GetInt64(), taken.GetProperty("hash").GetString(), taken.GetProperty("at").GetString());
        await (await Scenario.As("samordnare")).Http.GetAsync("/api/cases");
        await (await Scenario.As("samordnare")).Http.GetAsync($"/api/cases/{readCase}");
        var (head, _) = await HeadAsync();
        Assert.True(head > sequence + 1);

        await Raw.ExecuteAsync($"""
            INSERT INTO "AuditCheckpoints" ("Id", "Stripe", "Sequence", "Hash", "At", "Kind")
            SELECT '{Guid.NewGuid()}', "Stripe", "Sequence", "Hash", "At", 'Anchor' FROM "AccessEvents" WHERE {At(head - 1)}
            """);
        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Stripe" = {stripe} AND "Sequence" <= {head - 1}""");

        var stored = await VerifyAsync();
        Assert.False(stored.GetProperty("valid").GetBoolean(), stored.ToString());
        Assert.Contains($"checkpoint at event {sequence}", stored.GetProperty("problem").GetString());
        Assert.Contains("erased before their retention age", stored.GetProperty("problem").GetString());

        await Raw.ExecuteAsync("""DELETE FROM "AuditCheckpoints" WHERE "Kind" = 'Head'""");
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean()); // what the database alone can tell
        var auditor = await Scenario.As("granskare");
        var withTime = await (await auditor.Http.GetAsync(
            $"/api/audit/verify?checkpointStripe={stripe}&checkpointSequence={sequence}&checkpointHash={hash}&checkpointAt={Uri.EscapeDataString(at!)}")).JsonAsync();
        Assert.False(withTime.GetProperty("valid").GetBoolean(), withTime.ToString());
        Assert.Contains("erased before their retention age", withTime.GetProperty("problem").GetString());

        var atAnchor = await (await auditor.Http.GetAsync($"/api/audit/verify?checkpointStripe={stripe}&checkpointSequence={head - 1}&checkpointHash={new string('a', 64)}")).JsonAsync();
        Assert.False(atAnchor.GetProperty("valid").GetBoolean(), atAnchor.ToString());
        Assert.Contains("does not match the anchor", atAnchor.GetProperty("problem").GetString());
    }

    /// <summary>
    /// On PostgreSQL and SQL Server the application's login (db/roles-postgres.sql, db/roles-sqlserver.sql) may not change
    /// or delete the log. SQLite has no roles: anyone who can write the file can change it, and the hash chain is the
    /// control (tests above).
    /// </summary>
    public static TheoryData<string> LogChanges => new(ProviderSql.LogChanges);

    [Theory]
    [MemberData(nameof(LogChanges))]
    public async Task AppRole_CannotChangeOrDeleteTheLog(string sql)
    {
        if (!HasRoles) Assert.Skip("SQLite cannot refuse it: the hash chain is the control there.");
        await SomeActivityAsync();
        Assert.True(Convert.ToBoolean(await AsAppRoleAsync(Factory.Sql.MayInsertAccessEvents), System.Globalization.CultureInfo.InvariantCulture));

        await RefusedAsAppRoleAsync(sql);
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task AppRole_IsNotTheOwner()
    {
        if (!HasRoles) Assert.Skip("SQLite has no roles.");
        Factory.CreateClient().Dispose(); // starts the app: its database is migrated and granted
        await using var connection = Factory.Sql.Connection(Factory.AppConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Factory.Sql.WhoAmI;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal("sspf_app", reader.GetString(0));
        Assert.False(reader.GetBoolean(1));
    }
}
