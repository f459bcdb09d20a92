using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>The case list counts its total only up to <c>Cases:ListCountLimit</c>; pages beyond the limit still answer.</summary>
public sealed class ListCountTests
{
    [Fact]
    public async Task ListCases_MoreCasesThanTheCountLimit_ReportsTheLimitAsCappedAndStillPages()
    {
        await using var factory = new SspfApiFactory { Settings = { ["Cases:ListCountLimit"] = "2" } };
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");

        await scenario.OpenCaseAsync();
        await scenario.OpenCaseAsync();
        var atLimit = await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync();
        Assert.Equal(2, atLimit.GetProperty("totalCount").GetInt32());
        Assert.False(atLimit.GetProperty("totalCountCapped").GetBoolean());

        await scenario.OpenCaseAsync();
        await scenario.OpenCaseAsync();
        var over = await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync();
        Assert.Equal(2, over.GetProperty("totalCount").GetInt32());
        Assert.True(over.GetProperty("totalCountCapped").GetBoolean());
        Assert.Equal(4, over.GetProperty("items").GetArrayLength());

        var thirdPage = await (await coordinator.Http.GetAsync("/api/cases?page=3&pageSize=1")).JsonAsync();
        Assert.Equal(1, thirdPage.GetProperty("items").GetArrayLength());
        Assert.Equal(over.GetProperty("items")[2].GetProperty("id").GetGuid(), thirdPage.GetProperty("items")[0].GetProperty("id").GetGuid());
    }
}
