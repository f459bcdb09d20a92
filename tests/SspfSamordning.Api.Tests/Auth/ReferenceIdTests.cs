using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>
/// The stored form of a reference token's handle (<c>ReferenceId</c>): <see cref="SspfTokenManager"/> computes OpenIddict's
/// rule itself (issue 22: OpenIddict's helper looked up an algorithm override by reflection on every request). Its result
/// must stay OpenIddict's own, or tokens written before (or by OpenIddict's rule) would not be found.
/// </summary>
public sealed class ReferenceIdTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    /// <summary>OpenIddict's token manager as shipped: its <c>ObfuscateReferenceIdAsync</c> is not overridden.</summary>
    private sealed class OpenIddictsRule(
        IOpenIddictTokenCache<SspfToken> cache, ILogger<OpenIddictTokenManager<SspfToken>> logger,
        IOptionsMonitor<OpenIddictCoreOptions> options, IOpenIddictTokenStore<SspfToken> store)
        : OpenIddictTokenManager<SspfToken>(cache, logger, options, store)
    {
        public ValueTask<string> StoredFormAsync(string handle) => ObfuscateReferenceIdAsync(handle);
    }

    public static TheoryData<string> Handles() => new()
    {
        Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)), // the shape OpenIddict issues
        "x",
        "åäö-Ünïcödé ✓ handle",
        new string('a', 4096),
    };

    [Theory]
    [MemberData(nameof(Handles))]
    public async Task TheAppsStoredForm_IsOpenIddictsOwn(string handle)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var app = (SspfTokenManager)scope.ServiceProvider.GetRequiredService<OpenIddictTokenManager<SspfToken>>();
        var openIddict = ActivatorUtilities.CreateInstance<OpenIddictsRule>(scope.ServiceProvider);

        Assert.Equal(await openIddict.StoredFormAsync(handle), await app.HashHandleAsync(handle, default));
    }

    [Fact]
    public async Task ASignedInToken_IsStoredUnderOpenIddictsForm_AndTheBearerLookupFindsIt()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInAsync(SspfClient.Demo("samordnare"));

        await using var scope = factory.Services.CreateAsyncScope();
        var openIddict = ActivatorUtilities.CreateInstance<OpenIddictsRule>(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var stored = await openIddict.StoredFormAsync(tokens.AccessToken);
        Assert.True(await db.Set<SspfToken>().AnyAsync(t => t.ReferenceId == stored && t.Type == SspfTokenManager.AccessTokenType));

        using var me = await client.Http.GetAsync("/api/me");
        Assert.Equal(System.Net.HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task AnEmptyHandle_IsRefused_AsOpenIddictRefusesIt()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var app = (SspfTokenManager)scope.ServiceProvider.GetRequiredService<OpenIddictTokenManager<SspfToken>>();
        var openIddict = ActivatorUtilities.CreateInstance<OpenIddictsRule>(scope.ServiceProvider);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await openIddict.StoredFormAsync(""));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await app.HashHandleAsync("", default));
    }
}
