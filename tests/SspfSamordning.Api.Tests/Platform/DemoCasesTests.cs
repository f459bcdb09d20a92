using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>The Development demo cases (<see cref="DemoCases"/>): who sees which, and a second start adds nothing.</summary>
public sealed class DemoCasesTests
{
    private static readonly Dictionary<string, string> ExpectedStates = new()
    {
        [DemoCases.Opened] = "Opened",
        [DemoCases.SharedWithPolice] = "Active",
        [DemoCases.MeetingBooked] = "Active",
        [DemoCases.ConsentWithdrawn] = "AwaitingConsent",
        [DemoCases.Closed] = "Closed",
    };

    private static async Task<List<(string Name, string State, Guid Id)>> ListAsync(SspfClient client)
    {
        var list = await (await client.Http.GetAsync("/api/cases?pageSize=100")).JsonAsync();
        return list.GetProperty("items").EnumerateArray().Select(c => (
            $"{c.GetProperty("youth").GetProperty("givenName").GetString()} {c.GetProperty("youth").GetProperty("familyName").GetString()}",
            c.GetProperty("state").GetString()!, c.GetProperty("id").GetGuid())).ToList();
    }

    [Fact]
    public async Task DemoCases_CoordinatorSeesAllFive_PoliceOnlyTheOneSharedWithThem_OtherMunicipalityNone()
    {
        await using var factory = new SspfApiFactory { Settings = { ["Demo:Cases"] = "true" } };
        var scenario = await CaseScenario.CreateAsync(factory);

        var coordinator = await ListAsync(await scenario.As("samordnare"));
        Assert.Equal(ExpectedStates.OrderBy(e => e.Key), coordinator.Select(c => new KeyValuePair<string, string>(c.Name, c.State)).OrderBy(e => e.Key));

        // The police officer is a member of two cases; the consent of one was withdrawn, so only the other is theirs to see.
        var police = await ListAsync(await scenario.As("polis"));
        Assert.Equal([DemoCases.SharedWithPolice], police.Select(c => c.Name));
        var withdrawn = coordinator.Single(c => c.Name == DemoCases.ConsentWithdrawn).Id;
        var polis = await scenario.As("polis");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await polis.Http.GetAsync($"/api/cases/{withdrawn}")).StatusCode);

        Assert.Empty(await ListAsync(await scenario.As("samordnare", "falkoping")));
    }

    [Fact]
    public async Task DemoCases_SecondStartOnTheSameDatabase_AddsNothing()
    {
        await using var first = new SspfApiFactory { Settings = { ["Demo:Cases"] = "true" } };
        var firstList = await ListAsync(await (await CaseScenario.CreateAsync(first)).As("samordnare"));
        Assert.Equal(5, firstList.Count);

        await using var second = SspfApiFactory.SharingDatabaseWith(first);
        second.Settings["Demo:Cases"] = "true";
        var secondList = await ListAsync(await (await CaseScenario.CreateAsync(second)).As("samordnare"));
        Assert.Equal(firstList.Select(c => c.Id).Order(), secondList.Select(c => c.Id).Order());
    }
}
