using System.Net;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Staff;

/// <summary>GET /api/staff: the people who do case work in the caller's municipalities — and nobody else.</summary>
public sealed class StaffDirectoryTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static readonly string[] FalkenbergCaseWorkers = ["fritid", "polis", "samordnare", "skola", "socialsekreterare"];

    private async Task<JsonElement> SearchAsync(string name, string query = "", string municipality = "falkenberg", HttpStatusCode expected = HttpStatusCode.OK)
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo(name, municipality));
        var response = await client.Http.GetAsync("/api/staff" + query);
        await response.EnsureStatusAsync(expected);
        return await response.JsonAsync();
    }

    private static List<string> Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("displayName").GetString()!)];

    [Theory]
    [InlineData("samordnare")]
    [InlineData("polis")]
    [InlineData("skola")]
    public async Task CaseWorker_SeesTheCaseWorkersOfItsMunicipality_WithNamePartyAndUnitOnly(string caller)
    {
        var page = await SearchAsync(caller);
        Assert.Equal(FalkenbergCaseWorkers, Names(page));
        Assert.Equal(5, page.GetProperty("totalCount").GetInt32());
        var skola = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("displayName").GetString() == "skola");
        Assert.Equal(["displayName", "id", "party", "unit"], skola.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Skola", skola.GetProperty("party").GetString());
        Assert.Equal("Falkenbergs skolor", skola.GetProperty("unit").GetProperty("name").GetString());
        Assert.Equal(await (await CaseScenario.CreateAsync(factory)).UserIdAsync("skola"), skola.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task OtherMunicipality_IsNotListed()
    {
        Assert.Equal(["samordnare"], Names(await SearchAsync("samordnare", municipality: "falkoping")));
        Assert.DoesNotContain("samordnare@falkoping", string.Join(",", Names(await SearchAsync("samordnare"))), StringComparison.Ordinal);
        Assert.Equal(1, (await SearchAsync("samordnare", "?search=samordnare")).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("granskare")]
    [InlineData("analytiker")]
    public async Task RolesWithoutCaseWork_AreRefused_AndNotListed(string caller)
    {
        await SearchAsync(caller, expected: HttpStatusCode.Forbidden);
        Assert.Empty(Names(await SearchAsync("samordnare", "?search=" + caller)));
    }

    [Fact]
    public async Task Search_Party_AndPaging_Narrow_TheList()
    {
        Assert.Equal(["skola"], Names(await SearchAsync("samordnare", "?search=SKOL")));
        Assert.Equal(["polis"], Names(await SearchAsync("samordnare", "?party=Polis")));
        Assert.Empty(Names(await SearchAsync("samordnare", "?party=Polis&search=skola")));

        var first = await SearchAsync("samordnare", "?pageSize=2");
        var third = await SearchAsync("samordnare", "?pageSize=2&page=3");
        Assert.Equal(["fritid", "polis"], Names(first));
        Assert.Equal(["socialsekreterare"], Names(third));
        Assert.Equal(5, third.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?search=%00", "search")] // a NUL: PostgreSQL refuses it in a parameter (a 500 before)
    [InlineData("?party=Hacker", null)]
    public async Task BadQuery_IsA400(string query, string? field)
    {
        var problem = await SearchAsync("samordnare", query, expected: HttpStatusCode.BadRequest);
        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task TooLongSearch_IsA400NamingTheField()
    {
        var problem = await SearchAsync("samordnare", "?search=" + new string('a', 101), expected: HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("search", out _));
    }
}

/// <summary>A disabled account leaves the directory at once (its own factory: the other tests count the demo users).</summary>
public sealed class StaffDirectoryDisabledTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task DisabledAccount_IsNotListed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var fritid = await scenario.UserIdAsync("fritid");
        Assert.Contains(fritid, await IdsAsync(coordinator));

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsync($"/api/admin/users/{fritid}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        Assert.DoesNotContain(fritid, await IdsAsync(coordinator));
    }

    private static async Task<List<Guid>> IdsAsync(SspfClient client)
    {
        var response = await client.Http.GetAsync("/api/staff");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
    }
}
