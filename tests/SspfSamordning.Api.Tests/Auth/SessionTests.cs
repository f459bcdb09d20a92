using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

public sealed class SessionTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Refresh_RotatesAndReuseRevokesTheWholeFamily()
    {
        var client = factory.CreateSspfClient();
        var first = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));

        var rotated = await client.UseTokensAsync(await client.RefreshAsync(first.RefreshToken));
        Assert.NotEqual(first.RefreshToken, rotated.RefreshToken);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        // The spent token, presented again, is refused and ends the session: the rotated token and its access token die too.
        await (await client.RefreshAsync(first.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.RefreshAsync(rotated.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_UnknownToken_IsRefused()
    {
        var client = factory.CreateSspfClient();
        await (await client.RefreshAsync("not-a-token")).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Logout_EndsAccessAndRefreshTokens()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        await (await client.Http.PostAsync("/api/auth/logout", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task DisabledUser_ExistingAccessTokenIsRefusedOnNextRequest()
    {
        var victim = factory.CreateSspfClient();
        await victim.SignInWithPasswordAsync(SspfClient.Demo("polis"));
        await (await victim.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        var victimId = (await (await victim.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsync($"/api/admin/users/{victimId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        await (await victim.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await victim.LoginAsync(SspfClient.Demo("polis"))).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await victim.TokenAsync(SspfClient.Demo("polis"))).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task RoleChange_TakesEffectOnNextRequest()
    {
        var user = factory.CreateSspfClient();
        await user.SignInWithPasswordAsync(SspfClient.Demo("analytiker"));
        var id = (await (await user.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var changed = await admin.Http.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Granskare" } });
        await changed.EnsureStatusAsync(HttpStatusCode.Accepted);
        await (await user.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK); // pending: nothing changed yet
        var approver = factory.CreateSspfClient();
        await approver.SignInAsync(SspfClient.Demo(Admin.AdminSteps.SecondAdmin));
        await Admin.AdminSteps.ApproveAsync(approver, changed);

        await (await user.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await user.SignInWithPasswordAsync(SspfClient.Demo("analytiker"));
        var me = await (await user.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(["Granskare"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ChangePassword_NeedsCurrentPasswordAndEndsEverySession()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("samordnare", "falkoping");
        var tokens = await client.SignInWithPasswordAsync(email);

        var wrong = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Fel-losenord-123!", newPassword = "Ett-nytt-losen-2026" });
        await wrong.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var weak = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "kort" });
        await weak.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Lösenordet", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "Ett-nytt-losen-2026" });
        await changed.EnsureStatusAsync(HttpStatusCode.NoContent);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await client.SignInWithPasswordAsync(email, "Ett-nytt-losen-2026");
    }
}
