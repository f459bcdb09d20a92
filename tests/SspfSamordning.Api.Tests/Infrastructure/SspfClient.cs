using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>An HTTP client that signs in through the real endpoints, enrolling a second factor the way a person would.</summary>
public sealed class SspfClient(HttpClient http, SspfApiFactory factory)
{
    public const string DemoPassword = "Sspf-demo-2026!";

    public HttpClient Http { get; } = http;

    public static string Demo(string name, string municipality = "falkenberg") => $"{name}@{municipality}.example";

    /// <summary>
    /// The OAuth 2.0 token endpoint's password grant (Development only; the same checks as every sign-in), asking for the
    /// API and a refresh token, the second factor as the extra parameters <c>two_factor_code</c> / <c>recovery_code</c>.
    /// </summary>
    public Task<HttpResponseMessage> TokenAsync(string? email, string? password = DemoPassword, string? code = null, string? recoveryCode = null)
    {
        lock (factory.OwnPasswords)
            if (email is not null && password is not null && factory.OwnPasswords.TryGetValue((email, password), out var own)) password = own;
        return PostTokenRequestAsync(new()
        {
            ["grant_type"] = "password", ["client_id"] = OpenIdServer.DevelopmentClientId, ["scope"] = $"{OpenIdServer.ApiScope} offline_access",
            ["username"] = email, ["password"] = password, [OpenIdServer.TwoFactorCodeParameter] = code, [OpenIdServer.RecoveryCodeParameter] = recoveryCode,
        });
    }

    /// <summary>The token endpoint's refresh grant.</summary>
    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) => PostTokenRequestAsync(new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = OpenIdServer.DevelopmentClientId, ["refresh_token"] = refreshToken,
    });

    private Task<HttpResponseMessage> PostTokenRequestAsync(Dictionary<string, string?> parameters) =>
        Http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!))));

    /// <summary>Reads a successful token response (asserting 200) and uses its access token from now on.</summary>
    public async Task<TokenResponse> UseTokensAsync(HttpResponseMessage response)
    {
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var tokens = TokenResponse.FromOAuth(await response.Content.ReadFromJsonAsync<JsonElement>());
        Use(tokens.AccessToken);
        return tokens;
    }

    /// <summary>
    /// Signs in with password only through the token endpoint (a session that may only enrol a second factor unless 2FA
    /// is relaxed). At the first sign-in with an administrator-chosen password it first chooses an own password, as the
    /// app requires; later calls with the initial password use the own one (<see cref="SspfApiFactory.OwnPasswords"/>).
    /// </summary>
    public async Task<TokenResponse> SignInWithPasswordAsync(string email, string password = DemoPassword)
    {
        var tokens = await UseTokensAsync(await TokenAsync(email, password));
        if (!tokens.PasswordChangeRequired) return tokens;
        var own = password + "-eget";
        var changed = await Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = own });
        await changed.EnsureStatusAsync(HttpStatusCode.NoContent);
        lock (factory.OwnPasswords) factory.OwnPasswords[(email, password)] = own;
        return await SignInWithPasswordAsync(email, password);
    }

    /// <summary>Enrols the second factor (once per user and factory) and signs in with a fresh code through the token endpoint.</summary>
    public async Task<TokenResponse> SignInAsync(string email, string password = DemoPassword)
    {
        var key = await EnrolAsync(email, password);
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds)); // a new step: the last code was used
        return await UseTokensAsync(await TokenAsync(email, password, CodeFor(key)));
    }

    public async Task<string> EnrolAsync(string email, string password = DemoPassword)
    {
        lock (factory.AuthenticatorKeys)
            if (factory.AuthenticatorKeys.TryGetValue(email, out var known)) return known;
        await SignInWithPasswordAsync(email, password);
        lock (factory.OwnPasswords) password = factory.OwnPasswords.GetValueOrDefault((email, password), password);
        var setup = await Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = password });
        await setup.EnsureStatusAsync(HttpStatusCode.OK);
        var key = (await setup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharedKey").GetString()!;
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var enable = await Http.PostAsJsonAsync("/api/auth/2fa/enable", new { currentPassword = password, code = CodeFor(key) });
        await enable.EnsureStatusAsync(HttpStatusCode.OK);
        RecoveryCodes[email] = (await enable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes")
            .EnumerateArray().Select(c => c.GetString()!).ToList();
        lock (factory.AuthenticatorKeys) factory.AuthenticatorKeys[email] = key;
        return key;
    }

    public Dictionary<string, List<string>> RecoveryCodes { get; } = new();

    /// <summary>POST /api/cases/{id}/transitions: Close with the reason GoalsReached, any other trigger alone.</summary>
    public Task<HttpResponseMessage> CaseTransitionAsync(Guid caseId, string trigger) =>
        Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", trigger == "Close" ? new { trigger, closeReason = "GoalsReached" } : (object)new { trigger });

    public string CodeFor(string key) => Totp.Code(Totp.Base32Decode(key), Totp.TimeStep(factory.Clock.GetUtcNow()));

    public void Use(string? accessToken) =>
        Http.DefaultRequestHeaders.Authorization = accessToken is null ? null : new AuthenticationHeaderValue("Bearer", accessToken);
}

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, bool TwoFactorSetupRequired, bool PasswordChangeRequired = false)
{
    /// <summary>An OAuth 2.0 token response (RFC 6749 5.1) with the app's two extra flags.</summary>
    public static TokenResponse FromOAuth(JsonElement json) => new(
        json.GetProperty("access_token").GetString()!, json.GetProperty("expires_in").GetInt32(),
        json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString()! : "",
        json.TryGetProperty("two_factor_setup_required", out var setup) && setup.GetBoolean(),
        json.TryGetProperty("password_change_required", out var change) && change.GetBoolean());
}

public static class HttpAssertions
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task EnsureStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
                + ((int)response.StatusCode >= 500 ? "\nServer errors:\n" + string.Join("\n", CapturedLogs.RecentErrors) : ""));
    }

    /// <summary>Asserts a standard OAuth 2.0 error answer (RFC 6749 5.2): 400 (401 for a client) with the given <c>error</c>.</summary>
    public static async Task<JsonElement> EnsureOAuthErrorAsync(this HttpResponseMessage response, string error, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        await response.EnsureStatusAsync(status);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(error, body.GetProperty("error").GetString());
        return body;
    }

    /// <summary>The body as JSON — and never a stored ciphertext: a projection of an encrypted column bypasses decryption.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, "\"v1\\.[A-Za-z0-9_-]{22}\\."),
            $"{response.RequestMessage?.RequestUri} returned ciphertext: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
