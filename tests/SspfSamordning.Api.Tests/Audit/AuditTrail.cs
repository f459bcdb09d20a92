using System.Globalization;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>One access event as the walk compares it: kind, decision and case.</summary>
public sealed record LoggedEvent(string Action, string Decision, Guid? CaseId)
{
    public override string ToString() => $"{Action}/{Decision}" + (CaseId is { } c ? $"@{c.ToString()[..8]}" : "");
}

/// <summary>
/// Reads, straight from the database, the access events and history rows written since the last call: the walks send one
/// request at a time, so what is new belongs to that request. The log is striped (AuditChain.Stripes chains): what is new
/// is what lies beyond each stripe's head at the last call.
/// </summary>
public sealed class AuditTrail(SspfApiFactory factory)
{
    private readonly RawDatabase raw = new(factory);
    private Dictionary<int, long>? heads;
    private long lastTransitions = -1;
    private long lastVersions = -1;

    /// <summary>Starts the trail at the current head.</summary>
    public async Task MarkAsync()
    {
        heads = [];
        await using (var connection = await raw.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Stripe", MAX("Sequence") FROM "AccessEvents" GROUP BY "Stripe" """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) heads[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetInt64(1);
        }
        lastTransitions = await TransitionCountAsync();
        lastVersions = await VersionSumAsync();
    }

    /// <summary>
    /// The events since the last call (or mark), oldest first (by time, then stripe and sequence: the stripes have no order
    /// among themselves); how many history rows were added meanwhile; whether any case was saved (its version bumped).
    /// </summary>
    public async Task<(List<LoggedEvent> Events, long Transitions, bool CaseSaved)> NewAsync()
    {
        if (heads is null) throw new InvalidOperationException("MarkAsync first.");
        await using var connection = await raw.OpenAsync();
        await using var command = connection.CreateCommand();
        var beyond = string.Join(" OR ", SspfSamordning.Api.Infrastructure.Audit.AuditChain.AllStripes.Select(s =>
            $"""("Stripe" = {s} AND "Sequence" > {heads.GetValueOrDefault(s)})"""));
        command.CommandText = $"""
            SELECT "Stripe", "Sequence", "Action", "Decision", "CaseId" FROM "AccessEvents" WHERE {beyond} ORDER BY "At", "Stripe", "Sequence"
            """;
        var events = new List<LoggedEvent>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                var stripe = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                heads[stripe] = Math.Max(heads.GetValueOrDefault(stripe), reader.GetInt64(1));
                events.Add(new LoggedEvent(reader.GetString(2), reader.GetString(3),
                    await reader.IsDBNullAsync(4) ? null : Guid.Parse(Convert.ToString(reader.GetValue(4), CultureInfo.InvariantCulture)!)));
            }
        var transitions = await TransitionCountAsync();
        var added = transitions - lastTransitions;
        lastTransitions = transitions;
        var versions = await VersionSumAsync();
        var saved = versions != lastVersions;
        lastVersions = versions;
        return (events, added, saved);
    }

    private async Task<long> VersionSumAsync() =>
        long.Parse(await raw.ScalarAsync("""SELECT COALESCE(SUM("Version"), 0) FROM "Cases" """) ?? "0", CultureInfo.InvariantCulture);

    private async Task<long> TransitionCountAsync() =>
        long.Parse(await raw.ScalarAsync("""SELECT COUNT(*) FROM "TransitionEvents" """) ?? "0", CultureInfo.InvariantCulture);
}
