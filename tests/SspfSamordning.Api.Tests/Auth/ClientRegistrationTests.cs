using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>Issue 18: clients registered by the operator (--register-client); system clients reach no case data; revocation and introspection.</summary>
public sealed class ClientRegistrationTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<(int Code, string Output, string Error)> RegisterAsync(params string[] args)
    {
        factory.CreateClient().Dispose();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await RegisterClient.RunAsync(factory.Services, [RegisterClient.Flag, .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string> RegisterSystemClientAsync(string clientId)
    {
        var (code, output, error) = await RegisterAsync(clientId);
        Assert.True(code == 0, error);
        return output.Split("shown once, stored only as a hash): ")[1].Trim();
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Dictionary<string, string> form) =>
        http.PostAsync(path, new FormUrlEncodedContent(form));

    [Fact]
    public async Task SystemClient_GetsATokenThatReachesNoCaseData_AndCannotAskForTheApiScope()
    {
        var secret = await RegisterSystemClientAsync("statistik-export");
        var http = factory.CreateClient();

        var token = await PostAsync(http, OpenIdServer.TokenPath, new() { ["grant_type"] = "client_credentials", ["client_id"] = "statistik-export", ["client_secret"] = secret });
        await token.EnsureStatusAsync(HttpStatusCode.OK);
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        await (await http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        // Its row names no session: the bearer check has nothing to join.
        Assert.Null((await factory.RowAsync(accessToken!)).ApiSessionId);
        http.DefaultRequestHeaders.Authorization = null;

        var apiScope = await PostAsync(http, OpenIdServer.TokenPath, new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "statistik-export", ["client_secret"] = secret, ["scope"] = OpenIdServer.ApiScope,
        });
        // Refused by OpenIddict (the client has no permission for the scope; invalid_request) — or by ConnectToken if an
        // operator ever granted it (invalid_scope): either way no token.
        await apiScope.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var apiScopeError = JsonDocument.Parse(await apiScope.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(apiScopeError.GetProperty("error").GetString(), new[] { "invalid_scope", "invalid_request" });
        Assert.False(apiScopeError.TryGetProperty("access_token", out _));
        var refusal = await factory.OAuthRefusalAsync(async () =>
        {
            var wrongSecret = await PostAsync(http, OpenIdServer.TokenPath, new() { ["grant_type"] = "client_credentials", ["client_id"] = "statistik-export", ["client_secret"] = secret + "x" });
            await wrongSecret.EnsureOAuthErrorAsync("invalid_client", HttpStatusCode.Unauthorized);
        });
        // Logged as the registered client's refusal, without the secret.
        Assert.Equal(OpenIdAudit.TokenEntity, refusal.EntityType);
        Assert.Equal("invalid_client; type=client_credentials; client=statistik-export", refusal.Purpose);
        Assert.DoesNotContain(secret, refusal.Purpose!, StringComparison.Ordinal);
        // A grant the server does not know: refused and logged, the made-up grant name not copied.
        var unknownGrant = await factory.OAuthRefusalAsync(async () =>
        {
            var response = await PostAsync(http, OpenIdServer.TokenPath, new() { ["grant_type"] = "urn:example:magi", ["client_id"] = "statistik-export", ["client_secret"] = secret });
            await response.EnsureOAuthErrorAsync("unsupported_grant_type");
        });
        Assert.Equal("unsupported_grant_type; type=other; client=statistik-export", unknownGrant.Purpose);
        // A system client cannot use a person's grant.
        var password = await PostAsync(http, OpenIdServer.TokenPath, new()
        {
            ["grant_type"] = "password", ["client_id"] = "statistik-export", ["client_secret"] = secret,
            ["username"] = SspfClient.Demo("samordnare"), ["password"] = SspfClient.DemoPassword,
        });
        await password.EnsureOAuthErrorAsync("unauthorized_client");
    }

    [Fact]
    public async Task Introspection_ShowsATokenActive_UntilItIsRevoked()
    {
        var secret = await RegisterSystemClientAsync("integration");
        var http = factory.CreateClient();
        var credentials = new Dictionary<string, string> { ["client_id"] = "integration", ["client_secret"] = secret };
        var token = await PostAsync(http, OpenIdServer.TokenPath, new(credentials) { ["grant_type"] = "client_credentials" });
        await token.EnsureStatusAsync(HttpStatusCode.OK);
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        async Task<bool> ActiveAsync()
        {
            var introspection = await PostAsync(http, OpenIdServer.IntrospectionPath, new(credentials) { ["token"] = accessToken });
            await introspection.EnsureStatusAsync(HttpStatusCode.OK);
            return JsonDocument.Parse(await introspection.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean();
        }
        Assert.True(await ActiveAsync());
        await (await PostAsync(http, OpenIdServer.RevocationPath, new(credentials) { ["token"] = accessToken })).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.False(await ActiveAsync());
    }

    [Fact]
    public async Task Revocation_OfAPersonsRefreshToken_EndsIt()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        var revoked = await PostAsync(client.Http, OpenIdServer.RevocationPath, new()
        {
            ["client_id"] = OpenIdServer.DevelopmentClientId, ["token"] = tokens.RefreshToken, ["token_type_hint"] = "refresh_token",
        });
        await revoked.EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Theory]
    [InlineData("http://app.example/callback")] // plain HTTP off loopback
    [InlineData("https://app.example/callback#fragment")]
    [InlineData("https://user:pass@app.example/callback")]
    [InlineData("/relative/callback")]
    [InlineData("javascript:alert(1)")]
    public async Task BadRedirectUris_AreRefused_AndNothingIsRegistered(string redirectUri)
    {
        var clientId = "klient-" + Guid.NewGuid().ToString("N")[..8];
        var (code, _, error) = await RegisterAsync(clientId, "--redirect-uri", redirectUri);
        Assert.Equal(2, code);
        Assert.Contains("refused", error, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId));
    }

    [Fact]
    public async Task AnInteractiveClient_IsPublicWithPkce_AndAClientIdCannotBeTakenTwice()
    {
        var (code, output, _) = await RegisterAsync("mobilapp", "--redirect-uri", "http://127.0.0.1:7890/callback", "--redirect-uri", "https://app.example/cb");
        Assert.Equal(0, code);
        Assert.Contains("public client", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", output, StringComparison.Ordinal);
        var (again, _, error) = await RegisterAsync("mobilapp", "--redirect-uri", "https://evil.example/cb");
        Assert.Equal(2, again);
        Assert.Contains("already registered", error, StringComparison.Ordinal);
    }

    private async Task<bool> IsRegisteredAsync(string clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId) is not null;
    }

    [Fact]
    public async Task TheAdministrator_RegistersClientsThroughTheApi_WithTheCommandsRules_AndItIsLogged()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));

        var created = await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "kommun-export", redirectUris = Array.Empty<string>() });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await created.JsonAsync();
        Assert.Equal("system", body.GetProperty("kind").GetString());
        var secret = body.GetProperty("clientSecret").GetString()!;
        // The secret it showed once works: the same registration as --register-client.
        var token = await PostAsync(factory.CreateClient(), OpenIdServer.TokenPath,
            new() { ["grant_type"] = "client_credentials", ["client_id"] = "kommun-export", ["client_secret"] = secret });
        await token.EnsureStatusAsync(HttpStatusCode.OK);
        var logged = (await factory.AccessEventsAsync(AuditAction.ClientRegistered)).Last();
        Assert.Equal("system client kommun-export", logged.Purpose);
        Assert.Equal((await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid(), logged.ActorUserId);
        Assert.DoesNotContain(secret, logged.Purpose!, StringComparison.Ordinal);

        var web = await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "kommun-webb", redirectUris = new[] { "https://app.example/cb" } });
        await web.EnsureStatusAsync(HttpStatusCode.Created);
        var webBody = await web.JsonAsync();
        Assert.Equal("public", webBody.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, webBody.GetProperty("clientSecret").ValueKind);

        // The same id again: 409, the first registration stays.
        var again = await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "kommun-webb", redirectUris = new[] { "https://evil.example/cb" } });
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("http://app.example/callback")]
    [InlineData("https://app.example/callback#fragment")]
    [InlineData("https://user:pass@app.example/callback")]
    [InlineData("/relative/callback")]
    [InlineData("javascript:alert(1)")]
    public async Task TheAdminEndpoint_RefusesBadRedirectUris_AndRegistersNothing(string redirectUri)
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var clientId = "klient-" + Guid.NewGuid().ToString("N")[..8];
        // One good URI beside the bad one: still nothing is registered.
        var response = await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId, redirectUris = new[] { "https://ok.example/cb", redirectUri } });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("redirectUris", out _));
        Assert.False(await IsRegisteredAsync(clientId));
    }

    [Theory]
    [InlineData("samordnare")]
    [InlineData("granskare")]
    public async Task TheAdminEndpoint_IsForbiddenToEveryoneElse(string role)
    {
        var other = factory.CreateSspfClient();
        await other.SignInAsync(SspfClient.Demo(role));
        var clientId = "klient-" + Guid.NewGuid().ToString("N")[..8];
        var response = await other.Http.PostAsJsonAsync("/api/admin/clients", new { clientId, redirectUris = new[] { "https://app.example/cb" } });
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.False(await IsRegisteredAsync(clientId));
    }

    private async Task<JsonElement> ClientsAsync(HttpClient admin)
    {
        var list = await admin.GetAsync("/api/admin/clients");
        await list.EnsureStatusAsync(HttpStatusCode.OK);
        return await list.JsonAsync();
    }

    private static JsonElement? Find(JsonElement clients, string clientId) =>
        clients.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("clientId").GetString() == clientId);

    private async Task<string> ClientTokenAsync(string clientId, string secret, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var token = await PostAsync(factory.CreateClient(), OpenIdServer.TokenPath,
            new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });
        await token.EnsureStatusAsync(expected);
        return expected == HttpStatusCode.OK ? (await token.JsonAsync()).GetProperty("access_token").GetString()! : "";
    }

    private async Task<bool> ActiveAsync(string clientId, string secret, string token)
    {
        var introspection = await PostAsync(factory.CreateClient(), OpenIdServer.IntrospectionPath,
            new() { ["client_id"] = clientId, ["client_secret"] = secret, ["token"] = token });
        await introspection.EnsureStatusAsync(HttpStatusCode.OK);
        return (await introspection.JsonAsync()).GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task TheAdministrator_RotatesASecret_TheOldOneAndItsTokensDie_AndTheListNeverShowsASecret()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var created = await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "rotera-mig", redirectUris = Array.Empty<string>() });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var first = (await created.JsonAsync()).GetProperty("clientSecret").GetString()!;
        var oldToken = await ClientTokenAsync("rotera-mig", first);

        var listed = Find(await ClientsAsync(admin.Http), "rotera-mig")!.Value;
        Assert.Equal("system", listed.GetProperty("kind").GetString());
        Assert.Empty(listed.GetProperty("redirectUris").EnumerateArray());
        Assert.False(listed.TryGetProperty("clientSecret", out _));
        var listText = await (await admin.Http.GetAsync("/api/admin/clients")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(first, listText, StringComparison.Ordinal);

        var rotated = await admin.Http.PostAsync("/api/admin/clients/rotera-mig/secret", null);
        await rotated.EnsureStatusAsync(HttpStatusCode.OK);
        var second = (await rotated.JsonAsync()).GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(first, second);
        // The old secret no longer works, the new one does, and the token got with the old one is revoked.
        await ClientTokenAsync("rotera-mig", first, HttpStatusCode.Unauthorized);
        Assert.False(await ActiveAsync("rotera-mig", second, oldToken));
        Assert.True(await ActiveAsync("rotera-mig", second, await ClientTokenAsync("rotera-mig", second)));
        var logged = (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Last();
        Assert.Equal("secret rotated for client rotera-mig; tokens revoked", logged.Purpose);
        Assert.Equal((await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid(), logged.ActorUserId);

        // A system client gets neither redirect URIs nor the API scope by a change.
        (await (await admin.Http.PatchAsJsonAsync("/api/admin/clients/rotera-mig", new { scopes = new[] { OpenIdServer.ApiScope } })).JsonAsync())
            .GetProperty("errors").GetProperty("scopes");
        var redirect = await admin.Http.PatchAsJsonAsync("/api/admin/clients/rotera-mig", new { redirectUris = new[] { "https://app.example/cb" } });
        await redirect.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Empty(Find(await ClientsAsync(admin.Http), "rotera-mig")!.Value.GetProperty("scopes").EnumerateArray());
        await ClientTokenAsync("rotera-mig", second);

        // A public client has no secret to rotate.
        await (await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "publik-app", redirectUris = new[] { "https://app.example/cb" } }))
            .EnsureStatusAsync(HttpStatusCode.Created);
        await (await admin.Http.PostAsync("/api/admin/clients/publik-app/secret", null)).EnsureStatusAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheAdministrator_ChangesAndRemovesAClient_BadInputChangesNothing_AndAnUnknownIdIs404()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "andra-mig", redirectUris = new[] { "https://app.example/cb" } }))
            .EnsureStatusAsync(HttpStatusCode.Created);

        var changed = await admin.Http.PatchAsJsonAsync("/api/admin/clients/andra-mig",
            new { displayName = "Kommunens app", redirectUris = new[] { "https://app.example/ny", "http://127.0.0.1:7000/cb" } });
        await changed.EnsureStatusAsync(HttpStatusCode.OK);
        var view = await changed.JsonAsync();
        Assert.Equal("Kommunens app", view.GetProperty("displayName").GetString());
        Assert.Equal(["http://127.0.0.1:7000/cb", "https://app.example/ny"], view.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal([OpenIdServer.ApiScope], view.GetProperty("scopes").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("changed client andra-mig: display-name, redirect-uris", (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Last().Purpose);

        // Bad input: a refused redirect URI (beside a good one), no redirect URI left, an unknown scope, an empty name, nothing at all.
        var events = (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Count;
        object[] bad =
        [
            new { redirectUris = new[] { "https://ok.example/cb", "http://evil.example/cb" } },
            new { redirectUris = Array.Empty<string>() },
            new { scopes = new[] { "admin" } },
            new { displayName = " " },
            new { },
        ];
        foreach (var body in bad)
        {
            var response = await admin.Http.PatchAsJsonAsync("/api/admin/clients/andra-mig", body);
            await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
            Assert.True((await response.JsonAsync()).TryGetProperty("errors", out _));
        }
        var unchanged = Find(await ClientsAsync(admin.Http), "andra-mig")!.Value;
        Assert.Equal("Kommunens app", unchanged.GetProperty("displayName").GetString());
        Assert.Equal(2, unchanged.GetProperty("redirectUris").GetArrayLength());
        Assert.Equal(events, (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Count);

        await (await admin.Http.DeleteAsync("/api/admin/clients/andra-mig")).EnsureStatusAsync(HttpStatusCode.NoContent);
        Assert.False(await IsRegisteredAsync("andra-mig"));
        Assert.Null(Find(await ClientsAsync(admin.Http), "andra-mig"));
        Assert.Equal("removed client andra-mig", (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Last().Purpose);
        await (await admin.Http.DeleteAsync("/api/admin/clients/andra-mig")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Http.PatchAsJsonAsync("/api/admin/clients/andra-mig", new { displayName = "X" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Http.PostAsync("/api/admin/clients/andra-mig/secret", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// A registration, rotation, change or removal whose access event cannot be written changes nothing: the old secret
    /// and the tokens got with it still work, the scopes stay, no client appears and none disappears.
    /// </summary>
    [Fact]
    public async Task ClientChanges_WhoseLogEntryFails_LeaveEveryClientAsItWas()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var secret = await RegisterSystemClientAsync("atomar");
        var token = await ClientTokenAsync("atomar", secret);
        await (await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "atomar-app", redirectUris = new[] { "https://app.example/cb" } }))
            .EnsureStatusAsync(HttpStatusCode.Created);
        var before = Find(await ClientsAsync(admin.Http), "atomar-app")!.Value.ToString();
        var events = (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Count;

        var raw = new RawDatabase(factory);
        await raw.ExecuteAsync(factory.Sql.RefuseEvery("INSERT", "AccessEvents"));
        HttpResponseMessage[] answers;
        try
        {
            answers =
            [
                await admin.Http.PostAsync("/api/admin/clients/atomar/secret", null),
                await admin.Http.PatchAsJsonAsync("/api/admin/clients/atomar-app", new { scopes = Array.Empty<string>(), displayName = "Ny" }),
                await admin.Http.DeleteAsync("/api/admin/clients/atomar"),
                await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId = "atomar-ny", redirectUris = Array.Empty<string>() }),
            ];
        }
        finally
        {
            await raw.ExecuteAsync(factory.Sql.StopRefusing("AccessEvents"));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.InternalServerError, a.StatusCode));
        Assert.True(await ActiveAsync("atomar", secret, token));
        Assert.Equal(before, Find(await ClientsAsync(admin.Http), "atomar-app")!.Value.ToString());
        Assert.False(await IsRegisteredAsync("atomar-ny"));
        Assert.Equal(events, (await factory.AccessEventsAsync(AuditAction.ClientChanged)).Count);
    }

    [Fact]
    public async Task RemovingASystemClient_EndsTheTokensItHolds()
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var secret = await RegisterSystemClientAsync("ta-bort-mig");
        var token = await ClientTokenAsync("ta-bort-mig", secret);
        Assert.True(await ActiveAsync("ta-bort-mig", secret, token));
        await (await admin.Http.DeleteAsync("/api/admin/clients/ta-bort-mig")).EnsureStatusAsync(HttpStatusCode.NoContent);
        await using var scope = factory.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        Assert.Null(await tokens.FindByReferenceIdAsync(token));
        await ClientTokenAsync("ta-bort-mig", secret, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("samordnare")]
    [InlineData("granskare")]
    public async Task ManagingClients_IsForbiddenToEveryoneElse(string role)
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var clientId = "skyddad-" + role;
        await (await admin.Http.PostAsJsonAsync("/api/admin/clients", new { clientId, redirectUris = new[] { "https://app.example/cb" } }))
            .EnsureStatusAsync(HttpStatusCode.Created);
        var other = factory.CreateSspfClient();
        await other.SignInAsync(SspfClient.Demo(role));
        await (await other.Http.GetAsync("/api/admin/clients")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await other.Http.PatchAsJsonAsync($"/api/admin/clients/{clientId}", new { redirectUris = new[] { "https://evil.example/cb" } }))
            .EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await other.Http.PostAsync($"/api/admin/clients/{clientId}/secret", null)).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await other.Http.DeleteAsync($"/api/admin/clients/{clientId}")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        var kept = Find(await ClientsAsync(admin.Http), clientId)!.Value;
        Assert.Equal(["https://app.example/cb"], kept.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
    }
}
