using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Consents;
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

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task FederationIds_AreSetAndShown_Logged_AndClearedWithAnEmptyValue()
    {
        var admin = await AdminAsync();
        var userId = await UserIdAsync(SspfClient.Demo("skola"));
        var events = await factory.AccessEventsAsync(AuditAction.AccountChanged);
        var set = await admin.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { hsaId = " SE2321000131-P000000000777 ", employeeNumber = "A-1234" });
        await set.EnsureStatusAsync(HttpStatusCode.OK);
        var view = await (await admin.Http.GetAsync($"/api/admin/users/{userId}")).JsonAsync();
        Assert.Equal("SE2321000131-P000000000777", view.GetProperty("hsaId").GetString());
        Assert.Equal("A-1234", view.GetProperty("employeeNumber").GetString());
        var logged = Assert.Single(SspfApiFactory.AddedSince(await factory.AccessEventsAsync(AuditAction.AccountChanged), events));
        Assert.Equal(userId, logged.EntityId);
        Assert.Equal("FederationIds", logged.Purpose);

        // A field left out stays; an empty one is cleared.
        await (await admin.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { employeeNumber = "" })).EnsureStatusAsync(HttpStatusCode.OK);
        view = await (await admin.Http.GetAsync($"/api/admin/users/{userId}")).JsonAsync();
        Assert.Equal("SE2321000131-P000000000777", view.GetProperty("hsaId").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("employeeNumber").ValueKind);
    }

    [Fact]
    public async Task FederationIds_OfAnotherMunicipalitysAccount_Are404_AndUnchanged()
    {
        var admin = await AdminAsync();
        var other = await UserIdAsync(SspfClient.Demo("samordnare", "falkoping"));
        var events = (await factory.AccessEventsAsync(AuditAction.AccountChanged)).Count;
        await (await admin.Http.PatchAsJsonAsync($"/api/admin/users/{other}", new { hsaId = "SE2321000131-P000000000888" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Id == other).Select(u => u.HsaId).SingleAsync());
        Assert.Equal(events, (await factory.AccessEventsAsync(AuditAction.AccountChanged)).Count);
    }

    [Fact]
    public async Task FederationIds_AnHsaIdAnotherAccountHas_IsConflict_AndTooLongIsBadRequest()
    {
        var admin = await AdminAsync();
        var first = await UserIdAsync(SspfClient.Demo("polis"));
        var second = await UserIdAsync(SspfClient.Demo("fritid"));
        await (await admin.Http.PatchAsJsonAsync($"/api/admin/users/{first}", new { hsaId = "SE2321000131-P000000000999" })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await admin.Http.PatchAsJsonAsync($"/api/admin/users/{second}", new { hsaId = "SE2321000131-P000000000999" })).EnsureStatusAsync(HttpStatusCode.Conflict);
        // The same value again on the account that has it is no conflict.
        await (await admin.Http.PatchAsJsonAsync($"/api/admin/users/{first}", new { hsaId = "SE2321000131-P000000000999" })).EnsureStatusAsync(HttpStatusCode.OK);
        var tooLong = await admin.Http.PatchAsJsonAsync($"/api/admin/users/{second}", new { employeeNumber = new string('1', 65) });
        await tooLong.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var tooLongProblem = await tooLong.JsonAsync();
        Assert.True(tooLongProblem.GetProperty("errors").TryGetProperty("employeeNumber", out _));
        Assert.Equal("Ogiltig begäran", tooLongProblem.GetProperty("title").GetString());
        // A control character (a NUL, which PostgreSQL refuses in a parameter) is the same 400, not a 500.
        var nul = await admin.Http.PatchAsJsonAsync($"/api/admin/users/{second}", new { hsaId = "SE2321\u0000" });
        await nul.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await nul.JsonAsync()).GetProperty("errors").TryGetProperty("hsaId", out _));
        var view = await (await admin.Http.GetAsync($"/api/admin/users/{second}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, view.GetProperty("hsaId").ValueKind);
    }

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

        // An address longer than the column (a 500 from the database before) and a name with a control character.
        var tooLong = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = new string('a', 250) + "@falkenberg.example", displayName = "Ny\u0000Mentor", unitId = await UnitIdAsync(admin),
            roles = new[] { "Fritid" }, initialPassword = "Start-losenord-2026",
        });
        await tooLong.EnsureStatusAsync(HttpStatusCode.BadRequest);
        errors = (await tooLong.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("displayName", out _));

        // An address Identity does not take as a user name (å, ä, ö): the message is by the address, in Swedish, not by the password.
        var swedish = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "åsa.berg@falkenberg.example", displayName = "Åsa Berg", unitId = await UnitIdAsync(admin),
            roles = new[] { "Fritid" }, initialPassword = "Start-losenord-2026",
        });
        var named = await swedish.EnsureFieldErrorsAsync("email");
        Assert.Contains("inte å, ä eller ö", named.GetProperty("email")[0].GetString());
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
