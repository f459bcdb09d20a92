using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The access log's group commit and the change path (SspfDbContext.SaveChangesAsync) insert their events directly
/// (AccessEventRows), not through EF's change tracker: each row must be stored exactly as EF's own update pipeline stores
/// the same event, and a failed append or save must leave nothing behind.
/// </summary>
public sealed class AccessEventRowsTests : AuditLogHarness
{
    private static readonly string[] ChainColumns = ["Id", "Sequence", "PreviousHash", "Hash"];

    private static AccessEvent Full(DateTimeOffset at, Guid caseId, Guid actor) => new()
    {
        At = at, ActorUserId = actor, Roles = "Polis,Samordnare", Party = "Polis", MunicipalityId = Guid.NewGuid(),
        Action = AuditAction.Refused, CaseId = caseId, EntityType = "Case", EntityId = caseId, Categories = "Health,Identity",
        Purpose = "Läsning åäö", Decision = AuditDecision.Refused, CorrelationId = "corr-1",
    };

    private static AccessEvent Copy(AccessEvent e) => new()
    {
        At = e.At, ActorUserId = e.ActorUserId, Roles = e.Roles, Party = e.Party, MunicipalityId = e.MunicipalityId, Action = e.Action,
        CaseId = e.CaseId, EntityType = e.EntityType, EntityId = e.EntityId, Categories = e.Categories, Purpose = e.Purpose,
        Decision = e.Decision, CorrelationId = e.CorrelationId,
    };

    public static TheoryData<bool> Shapes => new() { true, false };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AnEventWrittenDirectly_IsStoredAsEfStoresIt_AndChainsOn(bool everyField)
    {
        // A local time with an offset and sub-tick precision trimmed as the app does: the instant is stored in UTC.
        var at = AccessEvent.Instant(new DateTimeOffset(2026, 11, 23, 9, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567));
        var caseId = Guid.NewGuid();
        var byEf = everyField ? Full(at, caseId, Guid.NewGuid()) : new AccessEvent { At = at, Action = AuditAction.LoginFailed, CorrelationId = "c" };
        await WriteThroughEfAsync(byEf);
        var direct = Copy(byEf);
        await Factory.Services.GetRequiredService<AuditLog>().AppendAsync(direct, TestContext.Current.CancellationToken);

        var rows = await RowsAsync(byEf.Id, direct.Id);
        var (efRow, directRow) = (rows[byEf.Id], rows[direct.Id]);
        AssertStoredAlike(efRow, directRow);
        Assert.Equal(efRow["Hash"], directRow["PreviousHash"]); // the same stripe, the direct row right after EF's
        Assert.Equal(SequenceOf(efRow) + 1, SequenceOf(directRow));

        // EF finds the row by its id and reads back every property the direct insert was given.
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var read = await db.AccessEvents.AsNoTracking().SingleAsync(e => e.Id == direct.Id, TestContext.Current.CancellationToken);
            foreach (var property in typeof(AccessEvent).GetProperties())
                Assert.True(Equals(property.GetValue(direct), property.GetValue(read)), $"{property.Name}: {property.GetValue(direct)} ≠ {property.GetValue(read)}");
            Assert.Equal(AuditChain.ComputeHash(read), read.Hash);
        }
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>Several events in one append (a list page's): on PostgreSQL one INSERT from column arrays, with NULLs
    /// among the values; each row as EF stores the same event, chained in the order given.</summary>
    [Fact]
    public async Task EventsAppendedTogether_AreEachStoredAsEfStoresThem_AndChainInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var at = AccessEvent.Instant(new DateTimeOffset(2026, 11, 23, 9, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567));
        var caseId = Guid.NewGuid();
        var byEf = new[]
        {
            Full(at, caseId, Guid.NewGuid()),
            new AccessEvent { At = at, Action = AuditAction.List, CaseId = caseId, EntityType = "Case", EntityId = caseId, CorrelationId = "c" },
            Full(at.AddSeconds(1), caseId, Guid.NewGuid()),
        };
        foreach (var e in byEf) await WriteThroughEfAsync(e);
        var direct = byEf.Select(Copy).ToList();
        await Factory.Services.GetRequiredService<AuditLog>().AppendAsync(direct, ct);

        var rows = await RowsAsync([.. byEf.Select(e => e.Id), .. direct.Select(e => e.Id)]);
        for (var i = 0; i < byEf.Length; i++) AssertStoredAlike(rows[byEf[i].Id], rows[direct[i].Id]);
        for (var i = 1; i < direct.Count; i++)
        {
            Assert.Equal(rows[direct[i - 1].Id]["Hash"], rows[direct[i].Id]["PreviousHash"]);
            Assert.Equal(SequenceOf(rows[direct[i - 1].Id]) + 1, SequenceOf(rows[direct[i].Id]));
        }
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>
    /// Issue 22, round ten: events made one after another have ids in the same order in the database's own ordering of the
    /// key (version 7), so appends go to the right end of the primary key's index rather than to random pages.
    /// </summary>
    [Fact]
    public async Task EventsMadeOneAfterAnother_HaveIdsInThatOrder_AsTheDatabaseOrdersThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = Guid.NewGuid();
        List<AccessEvent> made = [];
        for (var i = 0; i < 3; i++)
        {
            made.Add(new AccessEvent { At = AccessEvent.Instant(Factory.Clock.GetUtcNow()), Action = AuditAction.Read, CaseId = caseId, CorrelationId = "v7" });
            await Task.Delay(3, ct); // a version 7 id orders by its millisecond; within one it is random
        }
        Assert.All(made, e => Assert.Equal(7, e.Id.Version));
        await Factory.Services.GetRequiredService<AuditLog>().AppendAsync(made, ct);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var ordered = await db.AccessEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct);
        Assert.Equal(made.Select(e => e.Id), ordered);
    }

    [Fact]
    public async Task AnAppendThatFailsMidway_LeavesNoneOfItsEvents_AndTheChainVerifies()
    {
        var caseId = Guid.NewGuid();
        var at = AccessEvent.Instant(Factory.Clock.GetUtcNow());
        var first = Full(at, caseId, Guid.NewGuid());
        var second = Copy(first);
        // The third row repeats the first one's id: the primary key refuses it after two rows were sent.
        var duplicate = new AccessEvent { Id = first.Id, At = at, Action = AuditAction.Read, CaseId = caseId, CorrelationId = "dup" };
        var log = Factory.Services.GetRequiredService<AuditLog>();
        var before = await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """);

        await Assert.ThrowsAnyAsync<Exception>(() => log.AppendAsync([first, second, duplicate], TestContext.Current.CancellationToken));

        Assert.Equal(before, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
        var after = Copy(first);
        await log.AppendAsync(after, TestContext.Current.CancellationToken);
        Assert.Single(await RowsAsync(after.Id, first.Id, second.Id));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task AChangesEvents_AreStoredAsEfStoresThem_AndNoneStaysTracked()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var actor = await Scenario.UserIdAsync("samordnare");
        var handlers = Full(AccessEvent.Instant(Factory.Clock.GetUtcNow()), caseId, actor);
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var @case = await db.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId, ct);
            @case.AddMember(await Scenario.UserIdAsync("skola"), Party.Skola, actor, Factory.Clock.GetUtcNow());
            db.AccessEvents.Add(handlers);
            // The root, the member, its membership period, the handler's event and the recorded Change event (as EF counted them).
            Assert.Equal(5, await db.SaveChangesAsync(ct));
            Assert.Empty(db.ChangeTracker.Entries<AccessEvent>());
        }
        AccessEvent change;
        await using (var scope = Factory.Services.CreateAsyncScope())
            change = await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AccessEvents.AsNoTracking()
                .SingleAsync(e => e.CaseId == caseId && e.Action == AuditAction.Change, ct);
        var (handlersCopy, changeCopy) = (Copy(handlers), Copy(change));
        await WriteThroughEfAsync(handlersCopy);
        await WriteThroughEfAsync(changeCopy);

        var rows = await RowsAsync(handlers.Id, change.Id, handlersCopy.Id, changeCopy.Id);
        AssertStoredAlike(rows[handlersCopy.Id], rows[handlers.Id]);
        AssertStoredAlike(rows[changeCopy.Id], rows[change.Id]);
        // One case, one stripe: the handler's event, then the change's, consecutive in the chain.
        Assert.Equal(rows[handlers.Id]["Hash"], rows[change.Id]["PreviousHash"]);
        Assert.Equal(SequenceOf(rows[handlers.Id]) + 1, SequenceOf(rows[change.Id]));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task AChangeWhoseSaveFails_LeavesNoEventAndNoChange_AndItsRetryWritesEachEventOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var (actor, skola) = (await Scenario.UserIdAsync("samordnare"), await Scenario.UserIdAsync("skola"));
        var before = await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var @case = await db.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId, ct);
        @case.AddMember(skola, Party.Skola, actor, Factory.Clock.GetUtcNow());
        var handlers = Full(AccessEvent.Instant(Factory.Clock.GetUtcNow()), caseId, actor);
        db.AccessEvents.Add(handlers);

        // EF's UPDATE of the case fails: before any event is linked or inserted.
        await FailEveryAsync("UPDATE", "Cases");
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
        await StopFailingAsync("Cases");

        Assert.Equal(before, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
        Assert.DoesNotContain((await Scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == skola);
        Assert.Equal(EntityState.Added, db.Entry(handlers).State); // the handler's event waits for the retry

        await db.SaveChangesAsync(ct);
        Assert.Single(await RowsAsync(handlers.Id));
        Assert.Single(await EventsAsync(caseId), e => Action(e) == "Change");
        Assert.Contains((await Scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == skola);
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task AChangeWhoseSaveFails_InTheCallersTransaction_LeavesNoEventOfIt_AndTheCallerCarriesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var caseId = await Scenario.OpenCaseAsync();
        var (actor, skola) = (await Scenario.UserIdAsync("samordnare"), await Scenario.UserIdAsync("skola"));
        var at = AccessEvent.Instant(Factory.Clock.GetUtcNow());
        var (earlier, failed, later) = (Full(at, caseId, actor), Full(at, caseId, actor), Full(at, caseId, actor));
        var before = await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """);
        await FailEveryAsync("UPDATE", "Cases");
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.AccessEvents.Add(earlier);
            await db.SaveChangesAsync(ct);
            var @case = await db.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId, ct);
            @case.AddMember(skola, Party.Skola, actor, Factory.Clock.GetUtcNow());
            db.AccessEvents.Add(failed);

            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));

            // The caller gives that change up and carries on in its transaction (on PostgreSQL: not an aborted one).
            db.ChangeTracker.Clear();
            db.AccessEvents.Add(later);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await StopFailingAsync("Cases");

        var rows = await RowsAsync(earlier.Id, failed.Id, later.Id);
        Assert.Equal(new[] { earlier.Id, later.Id }.Order(), rows.Keys.Order());
        Assert.Equal(long.Parse(before!, System.Globalization.CultureInfo.InvariantCulture) + 2,
            long.Parse((await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(await EventsAsync(caseId), e => Action(e) == "Change");
        // The failed save's places in the chain were given back: the later event follows the earlier one directly.
        Assert.Equal(rows[earlier.Id]["Hash"], rows[later.Id]["PreviousHash"]);
        Assert.Equal(SequenceOf(rows[earlier.Id]) + 1, SequenceOf(rows[later.Id]));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>
    /// EF saves a change before its events are linked (the stripes' locks then cover only the events' INSERT and the
    /// commit): when the events' INSERT fails after EF's save went through, neither the change nor any event is left —
    /// nor, in the caller's transaction, once the caller commits — and the tracked entities are still modified, not
    /// accepted, so the retry writes all of it, each event once.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AChangeWhoseEventsFailAfterEfSavedIt_LeavesNeitherTheChangeNorAnEvent_AndStaysModifiedForTheRetry(bool inCallersTransaction)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var (caseId, _, skola, versionSql, events, version, @case, member, handlers) = await AddMemberUnsavedAsync(db, ct);

        await FailEveryAsync("INSERT", "AccessEvents");
        await using (var transaction = inCallersTransaction ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            var failed = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync(ct));
            Assert.False(failed is DbUpdateException, failed.ToString()); // not EF's save: the events' INSERT after it
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        await StopFailingAsync("AccessEvents");

        Assert.Equal(events, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
        Assert.Equal(version, await Raw.ScalarAsync(versionSql));
        Assert.DoesNotContain((await Scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == skola);
        // Not accepted: the root still modified against the version it was read with, the member still to be added.
        var root = db.Entry(@case);
        Assert.Equal(EntityState.Modified, root.State);
        Assert.Equal(long.Parse(version!, System.Globalization.CultureInfo.InvariantCulture), root.Property<long>(Aggregates.Version).OriginalValue);
        Assert.Equal(EntityState.Added, db.Entry(member).State);
        Assert.Equal(EntityState.Added, db.Entry(handlers).State);

        await db.SaveChangesAsync(ct);
        Assert.Equal(EntityState.Unchanged, root.State);
        Assert.Equal(EntityState.Unchanged, db.Entry(member).State);
        Assert.Single(await RowsAsync(handlers.Id));
        Assert.Single(await EventsAsync(caseId), e => Action(e) == "Change");
        Assert.Contains((await Scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == skola);
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>
    /// Issue 22, round eleven: on PostgreSQL the events' INSERT and the COMMIT of the save's own transaction — and of the
    /// access log's group commit — go to the server in one batch. When the COMMIT itself fails (here a deferred trigger,
    /// which runs at the commit only, after the INSERT went through), neither the change nor an event is left, the tracked
    /// entities are still unaccepted, and the connection goes back to the pool usable: the retry writes all of it, each
    /// event once, and the next append chains on.
    /// </summary>
    [Fact]
    public async Task ACommitThatFails_LeavesNeitherTheChangeNorAnEvent_AndTheRetryAndTheNextAppendSucceed()
    {
        if (Factory.Provider != "Postgres") Assert.Skip("Only PostgreSQL commits in the INSERT's round trip, and only it has a trigger deferred to the commit.");
        var ct = TestContext.Current.CancellationToken;
        var log = Factory.Services.GetRequiredService<AuditLog>();
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var (caseId, actor, skola, versionSql, events, version, @case, member, handlers) = await AddMemberUnsavedAsync(db, ct);
        var appended = Full(AccessEvent.Instant(Factory.Clock.GetUtcNow()), caseId, actor);

        await Raw.ExecuteAsync("""
            CREATE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit by the test'; END $$;
            CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON "AccessEvents" DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION test_refuse_commit();
            """);
        var failedSave = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync(ct));
        var failedAppend = await Assert.ThrowsAnyAsync<Exception>(() => log.AppendAsync(appended, ct));
        await Raw.ExecuteAsync("""DROP TRIGGER test_refuse_commit ON "AccessEvents"; DROP FUNCTION test_refuse_commit();""");

        // Both failed at the commit, after their INSERT: the deferred trigger runs nowhere else.
        Assert.Contains("refused at commit by the test", failedSave.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused at commit by the test", failedAppend.ToString(), StringComparison.Ordinal);
        Assert.Equal(events, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
        Assert.Equal(version, await Raw.ScalarAsync(versionSql));
        var root = db.Entry(@case);
        Assert.Equal(EntityState.Modified, root.State);
        Assert.Equal(EntityState.Added, db.Entry(member).State);
        Assert.Equal(EntityState.Added, db.Entry(handlers).State);

        await db.SaveChangesAsync(ct);
        await log.AppendAsync(Copy(appended), ct);
        Assert.Equal(EntityState.Unchanged, root.State);
        Assert.Single(await RowsAsync(handlers.Id));
        Assert.Empty(await RowsAsync(appended.Id));
        Assert.Single(await EventsAsync(caseId), e => Action(e) == "Change");
        Assert.Contains((await Scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == skola);
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    /// <summary>
    /// <c>SaveChangesAndCommitAsync</c> ends the caller's unit of work also when its change records no event (a user's
    /// display name, which the access log does not record): the change is committed — the dispose that follows has
    /// nothing left to roll back — and accepted, and no event is written.
    /// </summary>
    [Fact]
    public async Task ASaveAndCommitOfAChangeWithoutEvents_CommitsTheCallersTransaction_AndAcceptsTheChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var userId = await Scenario.UserIdAsync("skola");
        var before = await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            user.DisplayName = "Skolkurator (ändrad)";
            await db.SaveChangesAndCommitAsync(ct);
        }

        Assert.Equal(EntityState.Unchanged, db.Entry(user).State);
        Assert.Equal("Skolkurator (ändrad)",
            await Raw.ScalarAsync($"""SELECT "DisplayName" FROM "AspNetUsers" WHERE "Id" = {Factory.Sql.Literal(userId)}"""));
        Assert.Equal(before, await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """));
    }

    /// <summary>
    /// A change not saved yet, for the tests of a save that fails after EF's part of it: a new case of the scenario loaded
    /// with its members into <paramref name="db"/>, the skola user added as a member and a handler's event tracked; with the
    /// SQL that reads the case's version, and the log's size and the case's version before the change.
    /// </summary>
    private async Task<UnsavedMember> AddMemberUnsavedAsync(SspfDbContext db, CancellationToken ct)
    {
        var caseId = await Scenario.OpenCaseAsync();
        var (actor, skola) = (await Scenario.UserIdAsync("samordnare"), await Scenario.UserIdAsync("skola"));
        var versionSql = VersionSql(caseId);
        var (events, version) = (await Raw.ScalarAsync("""SELECT COUNT(*) FROM "AccessEvents" """), await Raw.ScalarAsync(versionSql));
        var @case = await db.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId, ct);
        @case.AddMember(skola, Party.Skola, actor, Factory.Clock.GetUtcNow());
        var handlers = Full(AccessEvent.Instant(Factory.Clock.GetUtcNow()), caseId, actor);
        db.AccessEvents.Add(handlers);
        return new(caseId, actor, skola, versionSql, events, version, @case, @case.Members.Single(m => m.UserId == skola), handlers);
    }

    private sealed record UnsavedMember(Guid CaseId, Guid Actor, Guid Skola, string VersionSql, string? Events, string? Version,
        Case Case, CaseMember Member, AccessEvent Handlers);

    /// <summary>
    /// Writes <paramref name="e"/>, linked, through EF's own update pipeline (the state manager's save, which
    /// SspfDbContext.SaveChangesAsync no longer uses for events): the reference a direct insert must match.
    /// </summary>
    private async Task WriteThroughEfAsync(AccessEvent e)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AuditChain.LinkAsync(db, [e], ct);
        db.AccessEvents.Add(e);
#pragma warning disable EF1001 // internal API, on purpose: EF's update pipeline without the context's override
        await db.GetService<IStateManager>().SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
#pragma warning restore EF1001
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every column but the chain's (id, place, hashes) holds the same value of the same type.</summary>
    private static void AssertStoredAlike(Dictionary<string, object?> efRow, Dictionary<string, object?> directRow)
    {
        Assert.Equal(efRow.Keys.Order(), directRow.Keys.Order());
        foreach (var column in efRow.Keys.Except(ChainColumns))
            Assert.True(Equals(efRow[column], directRow[column]), $"{column}: EF wrote {Show(efRow[column])}, the direct insert {Show(directRow[column])}");
        Assert.Equal(efRow["Id"]!.GetType(), directRow["Id"]!.GetType());
    }

    private static long SequenceOf(Dictionary<string, object?> row) => Convert.ToInt64(row["Sequence"], System.Globalization.CultureInfo.InvariantCulture);

    private static string Show(object? value) => value is null ? "NULL" : $"{value} ({value.GetType().Name})";

    /// <summary>The rows of <paramref name="ids"/> as the database holds them (ADO.NET's values, no EF conversion), by id.</summary>
    private async Task<Dictionary<Guid, Dictionary<string, object?>>> RowsAsync(params Guid[] ids)
    {
        await using var connection = await Raw.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT * FROM "AccessEvents" """;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new Dictionary<Guid, Dictionary<string, object?>>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
            var id = row["Id"] switch { Guid g => g, string s => Guid.Parse(s), byte[] b => new Guid(b), var v => throw new InvalidOperationException($"id {v}") };
            if (ids.Contains(id)) rows[id] = row;
        }
        return rows;
    }
}
