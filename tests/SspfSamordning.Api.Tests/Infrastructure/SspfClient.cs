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

    public Task<HttpResponseMessage> LoginAsync(string? email, string? password = DemoPassword, string? code = null, string? recoveryCode = null)
    {
        lock (factory.OwnPasswords)
            if (email is not null && password is not null && factory.OwnPasswords.TryGetValue((email, password), out var own)) password = own;
        return Http.PostAsJsonAsync("/api/auth/login", new { email, password, twoFactorCode = code, recoveryCode });
    }

    /// <summary>
    /// Signs in with password only (a session that may only enrol a second factor unless 2FA is relaxed). At the first
    /// sign-in with an administrator-chosen password it first chooses an own password, as the app requires; later
    /// calls with the initial password use the own one (<see cref="SspfApiFactory.OwnPasswords"/>).
    /// </summary>
    public async Task<TokenResponse> SignInWithPasswordAsync(string email, string password = DemoPassword)
    {
        var response = await LoginAsync(email, password);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        Use(tokens.AccessToken);
        if (!tokens.PasswordChangeRequired) return tokens;
        var own = password + "-eget";
        var changed = await Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = own });
        await changed.EnsureStatusAsync(HttpStatusCode.NoContent);
        lock (factory.OwnPasswords) factory.OwnPasswords[(email, password)] = own;
        return await SignInWithPasswordAsync(email, password);
    }

    /// <summary>Enrols the second factor (once per user and factory) and signs in with a fresh code.</summary>
    public async Task<TokenResponse> SignInAsync(string email, string password = DemoPassword)
    {
        var key = await EnrolAsync(email, password);
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds)); // a new step: the last code was used
        var response = await LoginAsync(email, password, CodeFor(key));
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        Use(tokens.AccessToken);
        return tokens;
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

    public string CodeFor(string key) => Totp.Code(Totp.Base32Decode(key), Totp.TimeStep(factory.Clock.GetUtcNow()));

    public void Use(string? accessToken) =>
        Http.DefaultRequestHeaders.Authorization = accessToken is null ? null : new AuthenticationHeaderValue("Bearer", accessToken);
}

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, bool TwoFactorSetupRequired, bool PasswordChangeRequired = false);

public static class HttpAssertions
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task EnsureStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
                + ((int)response.StatusCode >= 500 ? "\nServer errors:\n" + string.Join("\n", CapturedLogs.RecentErrors) : ""));
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
