using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>
/// Issue 23 item 14 (an administrator-chosen password is changed before anything else) and issue 15 item 5 (a missing
/// sign-in step answers its own problem type; every 401 names the Bearer scheme).
/// </summary>
public sealed class SignInStepTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string Initial = "Start-losenord-2026";

    private async Task<string> CreateUserAsync(string localPart)
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var email = $"{localPart}@falkenberg.example";
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email, displayName = "Ny Person", unitId, roles = new[] { "Fritid" }, initialPassword = Initial,
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        return email;
    }

    private static async Task AssertStepProblemAsync(HttpResponseMessage response, string type, string code)
    {
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(type, body.GetProperty("type").GetString());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task InitialPassword_AllowsOnlyAPasswordChange_NotEvenTwoFactorEnrolment()
    {
        var email = await CreateUserAsync("forsta.inloggning");
        var client = factory.CreateSspfClient();
        var login = await client.TokenAsync(email, Initial);
        await login.EnsureStatusAsync(HttpStatusCode.OK);
        var tokens = TokenResponse.FromOAuth(await login.Content.ReadFromJsonAsync<JsonElement>());
        Assert.True(tokens.PasswordChangeRequired);
        client.Use(tokens.AccessToken);

        const string type = SignInSteps.PasswordChangeRequiredType;
        await AssertStepProblemAsync(await client.Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = Initial }), type, "PasswordChangeRequired");
        await AssertStepProblemAsync(await client.Http.GetAsync("/api/me"), type, "PasswordChangeRequired");
        await AssertStepProblemAsync(await client.Http.GetAsync("/api/cases"), type, "PasswordChangeRequired");
        // The administrator's password "changed" to itself is no change.
        var same = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = Initial, newPassword = Initial });
        await same.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await same.JsonAsync()).GetProperty("errors").TryGetProperty("newPassword", out _));

        await (await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = Initial, newPassword = "Mitt-eget-losen-2026" }))
            .EnsureStatusAsync(HttpStatusCode.NoContent);
        // The old session ended with the change; the initial password no longer works; the own one does, fully.
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.TokenAsync(email, Initial)).EnsureOAuthErrorAsync("invalid_grant");
        var own = await client.TokenAsync(email, "Mitt-eget-losen-2026");
        await own.EnsureStatusAsync(HttpStatusCode.OK);
        var ownTokens = TokenResponse.FromOAuth(await own.Content.ReadFromJsonAsync<JsonElement>());
        Assert.False(ownTokens.PasswordChangeRequired);
        client.Use(ownTokens.AccessToken);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = "Mitt-eget-losen-2026" })).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InitialPassword_SessionCanStillLogOut()
    {
        var email = await CreateUserAsync("utloggning");
        var client = factory.CreateSspfClient();
        var tokens = TokenResponse.FromOAuth(await (await client.TokenAsync(email, Initial)).Content.ReadFromJsonAsync<JsonElement>());
        client.Use(tokens.AccessToken);
        await (await client.Http.PostAsync("/api/auth/logout", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        await (await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = Initial, newPassword = "Mitt-eget-losen-2026" }))
            .EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PasswordOnlySession_OnCaseAndAdminRoutes_AnswersSecondFactorRequired()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("samordnare", "falkoping"));
        const string type = SignInSteps.SecondFactorRequiredType;
        await AssertStepProblemAsync(await client.Http.GetAsync("/api/cases"), type, "SecondFactorRequired");
        await AssertStepProblemAsync(await client.Http.GetAsync("/api/me/tasks"), type, "SecondFactorRequired");
        // What the session may do still works.
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WrongRole_WithSecondFactor_IsAPlainForbidden_NotASignInStep()
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo("analytiker"));
        var response = await client.Http.GetAsync("/api/cases");
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("second-factor-required", text, StringComparison.Ordinal);
        Assert.DoesNotContain("password-change-required", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every401_CarriesWwwAuthenticateBearer()
    {
        var client = factory.CreateSspfClient();
        var noToken = await client.Http.GetAsync("/api/me");
        await noToken.EnsureStatusAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(noToken.Headers.WwwAuthenticate).Scheme);

        client.Use("CfDJ8-not-a-real-token");
        var badToken = await client.Http.GetAsync("/api/cases");
        await badToken.EnsureStatusAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(badToken.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);

        // A refused sign-in or refresh at the token endpoint is no 401 but the OAuth error (RFC 6749 5.2), not a challenge.
        client.Use(null);
        await (await client.TokenAsync("ingen@falkenberg.example", "Fel-losenord-123!")).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.RefreshAsync("nope")).EnsureOAuthErrorAsync("invalid_grant");
    }
}
