using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>The hash chain shows any change, deletion or reordering of the log, naming the first broken event.</summary>
public sealed class AuditChainTests : AuditLogHarness
{
    /// <summary>Some cases, reads, a refusal and logins: a chain of a few dozen events.</summary>
    private async Task<long> SomeActivityAsync()
    {
        var caseId = await Scenario.OpenCaseAsync();
        await Scenario.OpenCaseAsync(age: 16);
        var coordinator = await Scenario.As("samordnare");
        await coordinator.Http.GetAsync($"/api/cases/{caseId}");
        await coordinator.Http.GetAsync("/api/cases");
        await (await Scenario.As("polis")).Http.GetAsync($"/api/cases/{caseId}");
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean());
        return verified.GetProperty("checkedEvents").GetInt64();
    }

    private async Task<Guid> IdAtAsync(long sequence) =>
        Guid.Parse((await Raw.ScalarAsync($"""SELECT "Id" FROM "AccessEvents" WHERE "Sequence" = {sequence}"""))!);

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
        var changed = await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "{column}" = {value} WHERE "Sequence" = 5""");
        Assert.Equal(1, changed);

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(target, verified.GetProperty("firstBrokenEventId").GetGuid());
        Assert.Equal(5, verified.GetProperty("checkedEvents").GetInt64());
    }

    [Fact]
    public async Task Verify_ADeletedRow_IsBrokenAtTheRowAfterIt()
    {
        await SomeActivityAsync();
        var next = await IdAtAsync(6);
        await Raw.ExecuteAsync("""DELETE FROM "AccessEvents" WHERE "Sequence" = 5""");

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(next, verified.GetProperty("firstBrokenEventId").GetGuid());
    }

    [Fact]
    public async Task Verify_TwoSwappedRows_IsBrokenAtTheFirstOfThem()
    {
        await SomeActivityAsync();
        var sixth = await IdAtAsync(6);
        await Raw.ExecuteAsync("""UPDATE "AccessEvents" SET "Sequence" = -1 WHERE "Sequence" = 5""");
        await Raw.ExecuteAsync("""UPDATE "AccessEvents" SET "Sequence" = 5 WHERE "Sequence" = 6""");
        await Raw.ExecuteAsync("""UPDATE "AccessEvents" SET "Sequence" = 6 WHERE "Sequence" = -1""");

        var verified = await VerifyAsync();

        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(sixth, verified.GetProperty("firstBrokenEventId").GetGuid());
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

    private async Task<System.Text.Json.JsonElement> TakeCheckpointAsync()
    {
        var response = await (await Scenario.As("granskare")).Http.PostAsync("/api/audit/checkpoints", null);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Verify_NewestEventsRemovedAfterACheckpoint_IsBroken()
    {
        await SomeActivityAsync();
        var head = (await TakeCheckpointAsync()).GetProperty("sequence").GetInt64();
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean());

        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Sequence" > {head - 3}""");

        var verified = await VerifyAsync();
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, verified.GetProperty("firstBrokenEventId").ValueKind);
        Assert.Contains($"before the checkpoint at event {head}", verified.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Verify_AgainstAnExportedCheckpoint_SeesTruncation_EvenWhenTheStoredCheckpointsAreGone()
    {
        await SomeActivityAsync();
        await TakeCheckpointAsync();
        var auditor = await Scenario.As("granskare");
        var exported = (await (await auditor.Http.GetAsync("/api/audit/checkpoints")).JsonAsync()).GetProperty("items")[0];
        var (sequence, hash) = (exported.GetProperty("sequence").GetInt64(), exported.GetProperty("hash").GetString());

        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Sequence" > {sequence - 2}""");
        await Raw.ExecuteAsync("""DELETE FROM "AuditCheckpoints" """);

        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean()); // what the database alone can tell
        var response = await auditor.Http.GetAsync($"/api/audit/verify?checkpointSequence={sequence}&checkpointHash={hash}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.False((await response.JsonAsync()).GetProperty("valid").GetBoolean());
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
            var e = await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AccessEvents.AsNoTracking().SingleAsync(x => x.Sequence == head);
            var forged = new AccessEvent
            {
                Id = e.Id, Sequence = e.Sequence, At = e.At, ActorUserId = e.ActorUserId, Roles = e.Roles, Party = e.Party,
                MunicipalityId = e.MunicipalityId, Action = e.Action, CaseId = e.CaseId, EntityType = e.EntityType, EntityId = e.EntityId,
                Categories = e.Categories + ",Forged", Purpose = e.Purpose, Decision = e.Decision, CorrelationId = e.CorrelationId,
                PreviousHash = e.PreviousHash,
            };
            rewritten = AuditChain.ComputeHash(forged);
            Assert.Equal(1, await Raw.ExecuteAsync(
                $"""UPDATE "AccessEvents" SET "Categories" = '{forged.Categories}', "Hash" = '{rewritten}' WHERE "Sequence" = {head}"""));
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

    private async Task<(long Sequence, string Hash)> HeadAsync()
    {
        var head = long.Parse((await Raw.ScalarAsync("""SELECT MAX("Sequence") FROM "AccessEvents" """))!);
        return (head, (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE "Sequence" = {head}"""))!);
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
        var below = (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE "Sequence" = {head - 1}"""))!;

        await RefusedAsAppRoleAsync(Factory.Sql.InsertCheckpoint(head - 1, below, "Anchor"));

        var erase = await Assert.ThrowsAnyAsync<DbException>(() => AsAppRoleAsync(Factory.Sql.EraseAccessEvents(head - 1)));
        Assert.Contains("younger than the retention age", erase.Message);

        Assert.Equal("1", await Raw.ScalarAsync("""SELECT MIN("Sequence") FROM "AccessEvents" """));
        Assert.Equal(head.ToString(), await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
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

        await RefusedAsAppRoleAsync(Factory.Sql.InsertCheckpoint(head, new string('0', 64), "Head"));
        await AsAppRoleAsync(Factory.Sql.InsertCheckpoint(head, hash, "Head")); // the ordinary checkpoint still works
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

        var erasingHead = await Assert.ThrowsAnyAsync<DbException>(() => AsAppRoleAsync(Factory.Sql.EraseAccessEvents(head)));
        Assert.Contains("head of the access log is never erased", erasingHead.Message);

        var through = head - 3;
        var hash = (await Raw.ScalarAsync($"""SELECT "Hash" FROM "AccessEvents" WHERE "Sequence" = {through}"""))!;
        Assert.Equal(through, (long)(await AsAppRoleAsync(Factory.Sql.EraseAccessEvents(through)))!);

        Assert.Equal(hash, await Raw.ScalarAsync($"""SELECT "Hash" FROM "AuditCheckpoints" WHERE "Kind" = 'Anchor' AND "Sequence" = {through}"""));
        Assert.Equal((through + 1).ToString(), await Raw.ScalarAsync("""SELECT MIN("Sequence") FROM "AccessEvents" """));
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
        var (head, _) = await HeadAsync();
        Assert.True(head > sequence + 1);

        await Raw.ExecuteAsync($"""
            INSERT INTO "AuditCheckpoints" ("Id", "Sequence", "Hash", "At", "Kind")
            SELECT '{Guid.NewGuid()}', "Sequence", "Hash", "At", 'Anchor' FROM "AccessEvents" WHERE "Sequence" = {head - 1}
            """);
        await Raw.ExecuteAsync($"""DELETE FROM "AccessEvents" WHERE "Sequence" <= {head - 1}""");

        var stored = await VerifyAsync();
        Assert.False(stored.GetProperty("valid").GetBoolean(), stored.ToString());
        Assert.Contains($"checkpoint at event {sequence}", stored.GetProperty("problem").GetString());
        Assert.Contains("erased before their retention age", stored.GetProperty("problem").GetString());

        await Raw.ExecuteAsync("""DELETE FROM "AuditCheckpoints" WHERE "Kind" = 'Head'""");
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean()); // what the database alone can tell
        var auditor = await Scenario.As("granskare");
        var withTime = await (await auditor.Http.GetAsync(
            $"/api/audit/verify?checkpointSequence={sequence}&checkpointHash={hash}&checkpointAt={Uri.EscapeDataString(at!)}")).JsonAsync();
        Assert.False(withTime.GetProperty("valid").GetBoolean(), withTime.ToString());
        Assert.Contains("erased before their retention age", withTime.GetProperty("problem").GetString());

        var atAnchor = await (await auditor.Http.GetAsync($"/api/audit/verify?checkpointSequence={head - 1}&checkpointHash={new string('a', 64)}")).JsonAsync();
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
