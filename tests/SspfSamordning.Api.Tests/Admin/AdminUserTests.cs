using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Admin;

public sealed class AdminUserTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<SspfClient> AdminAsync()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        return admin;
    }

    private static async Task<Guid> UnitIdAsync(SspfClient client) =>
        (await (await client.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();

    [Fact]
    public async Task CreateUser_NewUserCanSignIn()
    {
        var admin = await AdminAsync();
        var response = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "ny.mentor@falkenberg.example", displayName = "Ny Mentor", unitId = await UnitIdAsync(admin),
            roles = new[] { "Fritid" }, initialPassword = "Start-losenord-2026",
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        Assert.NotNull(response.Headers.Location);
        var approver = factory.CreateSspfClient();
        await approver.SignInAsync(SspfClient.Demo(AdminSteps.SecondAdmin));
        await AdminSteps.ApproveAsync(approver, response);

        var user = factory.CreateSspfClient();
        await user.SignInWithPasswordAsync("ny.mentor@falkenberg.example", "Start-losenord-2026");
        var me = await (await user.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(["Fritid"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task CreateUser_InvalidBody_ListsFieldErrorsAndCreatesNothing()
    {
        var admin = await AdminAsync();
        var response = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "inte-en-adress", displayName = "", unitId = Guid.NewGuid(), roles = new[] { "Kung" }, initialPassword = "",
        });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "email", "displayName", "unitId", "roles", "initialPassword" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task CreateUser_DuplicateEmail_IsConflict()
    {
        var admin = await AdminAsync();
        var response = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo("polis"), displayName = "Dubblett", unitId = await UnitIdAsync(admin),
            roles = new[] { "Polis" }, initialPassword = "Start-losenord-2026",
        });
        await response.EnsureStatusAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreateUser_WeakPassword_IsRejectedInSwedish()
    {
        var admin = await AdminAsync();
        var response = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "svag@falkenberg.example", displayName = "Svag", unitId = await UnitIdAsync(admin),
            roles = new[] { "Skola" }, initialPassword = "kort",
        });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Lösenordet måste ha minst 12 tecken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await factory.CreateSspfClient().TokenAsync("svag@falkenberg.example", "kort")).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Admin_CannotManageUsersOfAnotherMunicipality()
    {
        var other = factory.CreateSspfClient();
        await other.SignInWithPasswordAsync(SspfClient.Demo("samordnare", "falkoping"));
        var otherId = (await (await other.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

        var admin = await AdminAsync();
        await (await admin.Http.PostAsync($"/api/admin/users/{otherId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Http.PutAsJsonAsync($"/api/admin/users/{otherId}/roles", new { roles = new[] { "Polis" } })).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await other.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("samordnare")]
    [InlineData("polis")]
    [InlineData("granskare")]
    public async Task NonAdmin_CannotCallAdminEndpoints(string name)
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo(name));
        var me = await (await client.Http.GetAsync("/api/me")).JsonAsync();
        var ownId = me.GetProperty("id").GetGuid();

        await (await client.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "smyg@falkenberg.example", displayName = "Smyg", unitId = me.GetProperty("unit").GetProperty("id").GetGuid(),
            roles = new[] { "Administratör" }, initialPassword = "Start-losenord-2026",
        })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await client.Http.PutAsJsonAsync($"/api/admin/users/{ownId}/roles", new { roles = new[] { "Administratör" } })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await client.Http.PostAsync($"/api/admin/users/{ownId}/disable", null)).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }
}
