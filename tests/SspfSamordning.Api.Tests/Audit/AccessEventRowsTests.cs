using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The access log's group commit inserts its events directly (AccessEventRows), not through EF's change tracker: each row
/// must be stored exactly as EF stores the same event, and a failed append must leave nothing behind.
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
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            db.AccessEvents.Add(byEf);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var direct = Copy(byEf);
        await Factory.Services.GetRequiredService<AuditLog>().AppendAsync(direct, TestContext.Current.CancellationToken);

        var rows = await RowsAsync(byEf.Id, direct.Id);
        var (efRow, directRow) = (rows[byEf.Id], rows[direct.Id]);
        Assert.Equal(efRow.Keys.Order(), directRow.Keys.Order());
        foreach (var column in efRow.Keys.Except(ChainColumns))
            Assert.True(Equals(efRow[column], directRow[column]), $"{column}: EF wrote {Show(efRow[column])}, the direct insert {Show(directRow[column])}");
        Assert.Equal(efRow["Id"]!.GetType(), directRow["Id"]!.GetType());
        Assert.Equal(efRow["Hash"], directRow["PreviousHash"]); // the same stripe, the direct row right after EF's
        Assert.Equal(Convert.ToInt64(efRow["Sequence"], System.Globalization.CultureInfo.InvariantCulture) + 1,
            Convert.ToInt64(directRow["Sequence"], System.Globalization.CultureInfo.InvariantCulture));

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
