using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Admin;

/// <summary>
/// Issue 23 item 3: a user of a unit sees every municipality the unit serves, so an administrator reaches only units whose
/// municipalities all lie within its own. And issue 15 item 5: the units an administrator may place accounts in.
/// </summary>
public sealed class AdminScopeTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static async Task<System.Text.Json.JsonElement> UnitsAsync(SspfClient admin, string query = "?pageSize=100")
    {
        var response = await admin.Http.GetAsync("/api/admin/units" + query);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private async Task<SspfClient> AdminAsync()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        return admin;
    }

    [Fact]
    public async Task UnitSharedWithAnotherMunicipality_IsOutOfReach_ForAnAdministratorOfOneOfThem()
    {
        var (unitId, officerId) = await AdminTestData.SharedUnitAsync(factory);
        foreach (var admin in new[] { await AdminAsync(), await AdminTestData.FalkopingAdminAsync(factory) })
        {
            var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
            {
                email = $"delad-{Guid.NewGuid():N}@falkenberg.example", displayName = "Delad", unitId, roles = new[] { "Granskare" },
                initialPassword = "Start-losenord-2026",
            });
            await created.EnsureStatusAsync(HttpStatusCode.BadRequest);
            Assert.True((await created.JsonAsync()).GetProperty("errors").TryGetProperty("unitId", out _));
            await (await admin.Http.PutAsJsonAsync($"/api/admin/users/{officerId}/roles", new { roles = new[] { "Samordnare" } }))
                .EnsureStatusAsync(HttpStatusCode.NotFound);
            await (await admin.Http.PutAsJsonAsync($"/api/admin/users/{officerId}/roles", new { roles = new[] { "Polis" } }))
                .EnsureStatusAsync(HttpStatusCode.NotFound);
            await (await admin.Http.PostAsync($"/api/admin/users/{officerId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
            await (await admin.Http.PostAsync($"/api/admin/users/{officerId}/two-factor/reset", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
            var units = await UnitsAsync(admin);
            Assert.DoesNotContain(units.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetGuid() == unitId);
        }

        // The officer is untouched and still signs in.
        var officer = factory.CreateSspfClient();
        await officer.SignInWithPasswordAsync("polis.delad@falkenberg.example");
        var me = await (await officer.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(["Polis"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Units_ListsTheAdministratorsOwnUnits_Paged()
    {
        await AdminTestData.SharedUnitAsync(factory);
        var admin = await AdminAsync();
        var all = await UnitsAsync(admin);
        var names = all.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Falkenbergs skolor", "Fritid Falkenberg", "Kommunledningskontoret Falkenberg", "Lokalpolisområde Falkenberg", "Socialtjänsten Falkenberg"], names);
        Assert.Equal(5, all.GetProperty("totalCount").GetInt32());
        var first = all.GetProperty("items")[0];
        Assert.Equal("Skola", first.GetProperty("party").GetString());
        var municipality = Assert.Single(first.GetProperty("municipalities").EnumerateArray());
        Assert.Equal("Falkenberg", municipality.GetProperty("name").GetString());

        // The own unit (from /api/me) is one of them, and is the id account creation takes.
        var ownUnit = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        Assert.Contains(all.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetGuid() == ownUnit);

        var page = await UnitsAsync(admin, "?page=3&pageSize=2");
        Assert.Equal(["Socialtjänsten Falkenberg"], page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Equal(5, page.GetProperty("totalCount").GetInt32());
        await (await admin.Http.GetAsync("/api/admin/units?pageSize=0")).EnsureStatusAsync(HttpStatusCode.BadRequest);

        var other = await AdminTestData.FalkopingAdminAsync(factory);
        var theirs = await UnitsAsync(other, "");
        Assert.Equal(["Kommunledningskontoret Falköping"], theirs.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("samordnare")]
    [InlineData("granskare")]
    [InlineData("polis")]
    public async Task Units_AndRoleGrants_AreForAdministratorsOnly(string name)
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo(name));
        await (await client.Http.GetAsync("/api/admin/units")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await client.Http.GetAsync("/api/admin/role-grants")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await client.Http.PostAsync($"/api/admin/role-grants/{Guid.NewGuid()}/approve", null)).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }
}
