using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>The case list counts its total only up to <c>Cases:ListCountLimit</c>; pages beyond the limit still answer.</summary>
public sealed class ListCountTests
{
    [Fact]
    public async Task ListCases_MoreCasesThanTheCountLimit_ReportsTheLimitAsCappedAndStillPages()
    {
        // The counting app of the statement tests: the list's statements are checked on the same requests.
        await using var factory = new Performance.CaseReadStatementsTests.CountingFactory { Settings = { ["Cases:ListCountLimit"] = "2" } };
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");

        await scenario.OpenCaseAsync();
        await scenario.OpenCaseAsync();
        var atLimit = await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync();
        Assert.Equal(2, atLimit.GetProperty("totalCount").GetInt32());
        Assert.False(atLimit.GetProperty("totalCountCapped").GetBoolean());

        await scenario.OpenCaseAsync();
        await scenario.OpenCaseAsync();
        factory.Counter.Take();
        factory.Counter.On = true;
        var over = await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync();
        factory.Counter.On = false;
        // Issue 22: the visible page — its ids, their data keys and its capped total — in one statement, no count of its
        // own; then the page's rows by id, with their encrypted columns.
        var caseReads = factory.Counter.Take().Where(c => c.Contains("FROM \"Cases\" AS ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, caseReads.Count);
        var page = Assert.Single(caseReads, c => c.Contains("\"DataKeys\"", StringComparison.Ordinal));
        Assert.Contains("COUNT(*)", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"YouthGivenName\"", page, StringComparison.Ordinal);
        var rows = Assert.Single(caseReads, c => !c.Contains("\"DataKeys\"", StringComparison.Ordinal));
        Assert.DoesNotContain("COUNT(*)", rows, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"YouthGivenName\"", rows, StringComparison.Ordinal);
        Assert.Equal(2, over.GetProperty("totalCount").GetInt32());
        Assert.True(over.GetProperty("totalCountCapped").GetBoolean());
        Assert.Equal(4, over.GetProperty("items").GetArrayLength());

        var thirdPage = await (await coordinator.Http.GetAsync("/api/cases?page=3&pageSize=1")).JsonAsync();
        Assert.Equal(1, thirdPage.GetProperty("items").GetArrayLength());
        Assert.Equal(over.GetProperty("items")[2].GetProperty("id").GetGuid(), thirdPage.GetProperty("items")[0].GetProperty("id").GetGuid());

        // The total travels with the page's rows; a page past the end has none, and must still report it.
        factory.Counter.Take();
        factory.Counter.On = true;
        var pastTheEnd = await (await coordinator.Http.GetAsync("/api/cases?page=9&pageSize=1")).JsonAsync();
        factory.Counter.On = false;
        Assert.Equal(2, factory.Counter.Take().Count(c => c.Contains("FROM \"Cases\" AS ", StringComparison.Ordinal))); // the page, then its count
        Assert.Equal(0, pastTheEnd.GetProperty("items").GetArrayLength());
        Assert.Equal(2, pastTheEnd.GetProperty("totalCount").GetInt32());
        Assert.True(pastTheEnd.GetProperty("totalCountCapped").GetBoolean());

        // A filter the count must respect as well as the page: one case closed, the others not.
        var closed = over.GetProperty("items")[1].GetProperty("id").GetGuid();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await coordinator.Http.PostAsJsonAsync(
            $"/api/cases/{closed}/transitions", new { trigger = "Close", closeReason = "NotRelevant", closeComment = "Bedömt ej aktuellt" })).StatusCode);
        var closedOnly = await (await coordinator.Http.GetAsync("/api/cases?state=Closed")).JsonAsync();
        Assert.Equal(1, closedOnly.GetProperty("totalCount").GetInt32());
        Assert.False(closedOnly.GetProperty("totalCountCapped").GetBoolean());
        Assert.Equal(closed, Assert.Single(closedOnly.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var noneOnSecondPage = await (await coordinator.Http.GetAsync("/api/cases?state=Closed&page=2")).JsonAsync();
        Assert.Equal(0, noneOnSecondPage.GetProperty("items").GetArrayLength());
        Assert.Equal(1, noneOnSecondPage.GetProperty("totalCount").GetInt32());
        var none = await (await coordinator.Http.GetAsync("/api/cases?state=Declined")).JsonAsync();
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        Assert.Equal(0, none.GetProperty("totalCount").GetInt32());
    }
}
