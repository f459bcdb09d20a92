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
/// request at a time, so what is new belongs to that request.
/// </summary>
public sealed class AuditTrail(SspfApiFactory factory)
{
    private readonly RawDatabase raw = new(factory);
    private long lastSequence = -1;
    private long lastTransitions = -1;
    private long lastVersions = -1;

    /// <summary>Starts the trail at the current head.</summary>
    public async Task MarkAsync()
    {
        lastSequence = long.Parse(await raw.ScalarAsync("""SELECT COALESCE(MAX("Sequence"), 0) FROM "AccessEvents" """) ?? "0", CultureInfo.InvariantCulture);
        lastTransitions = await TransitionCountAsync();
        lastVersions = await VersionSumAsync();
    }

    /// <summary>
    /// The events since the last call (or mark), oldest first; how many history rows were added meanwhile; whether any
    /// case was saved (its version bumped).
    /// </summary>
    public async Task<(List<LoggedEvent> Events, long Transitions, bool CaseSaved)> NewAsync()
    {
        if (lastSequence < 0) throw new InvalidOperationException("MarkAsync first.");
        await using var connection = await raw.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "Sequence", "Action", "Decision", "CaseId" FROM "AccessEvents" WHERE "Sequence" > {lastSequence} ORDER BY "Sequence" """;
        var events = new List<LoggedEvent>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                lastSequence = reader.GetInt64(0);
                events.Add(new LoggedEvent(reader.GetString(1), reader.GetString(2),
                    await reader.IsDBNullAsync(3) ? null : Guid.Parse(Convert.ToString(reader.GetValue(3), CultureInfo.InvariantCulture)!)));
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
