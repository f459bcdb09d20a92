using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// The test server has no sockets: this sets the connection's peer address from <c>X-Test-Peer</c> before anything of
/// the app runs, as a TCP connection from that address would.
/// </summary>
public sealed class TestPeerFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, inner) =>
        {
            if (http.Request.Headers.TryGetValue(Header, out var peer)) http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            await inner();
        });
        next(app);
    };
}

public class RateLimitFactory : SspfApiFactory
{
    public RateLimitFactory()
    {
        // Windows of an hour: no window can roll over in the middle of a test.
        Settings["RateLimiting:AuthPermitLimit"] = "3";
        Settings["RateLimiting:AuthWindowSeconds"] = "3600";
        Settings["RateLimiting:AccountPermitLimit"] = "4";
        Settings["RateLimiting:AccountWindowSeconds"] = "3600";
        Settings["RateLimiting:RefreshPermitLimit"] = "5";
        Settings["RateLimiting:RefreshWindowSeconds"] = "3600";
        Settings["RateLimiting:UnknownAccountEventsPerMinute"] = "2";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TestPeerFilter>());
    }
}

/// <summary>The same, behind a reverse proxy at 10.0.0.1 that the operator configured.</summary>
public sealed class ProxiedRateLimitFactory : RateLimitFactory
{
    public ProxiedRateLimitFactory() => Settings["Http:KnownProxies:0"] = "10.0.0.1";
}

/// <summary>Issue 23 item 5: rate limits per client (IPv6 by /64) and per account at the token endpoint, proxies only when configured.</summary>
public sealed class RateLimitTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private SspfClient From(string peer, string? forwardedFor = null)
    {
        var client = factory.CreateSspfClient();
        client.Http.DefaultRequestHeaders.Add(TestPeerFilter.Header, peer);
        if (forwardedFor is not null) client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static Task<HttpResponseMessage> LoginAsync(SspfClient client, int i) => client.TokenAsync($"ingen{i}@falkenberg.example", "x");

    [Fact]
    public async Task Login_BeyondTheLimit_Answers429_ForThatClientOnly()
    {
        var client = From("192.0.2.10");
        for (var i = 0; i < 3; i++) await (await LoginAsync(client, i)).EnsureOAuthErrorAsync("invalid_grant");

        var limited = await client.TokenAsync(SspfClient.Demo("polis"));
        await limited.EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        // Another client is not locked out by the first.
        await (await From("192.0.2.11").TokenAsync(SspfClient.Demo("polis"))).EnsureStatusAsync(HttpStatusCode.OK);
        // Nor does a forged X-Forwarded-For buy a new bucket when no proxy is configured.
        await (await LoginAsync(From("192.0.2.10", forwardedFor: "198.51.100.7"), 9)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Refreshes_CountInAWindowOfTheirOwn_NeitherUsingUpNorBlockedBySignIns_AndARefusedOneSpendsNothing()
    {
        var client = From("192.0.2.20");
        var email = SspfClient.Demo("skola");
        var refresh = (await client.UseTokensAsync(await client.TokenAsync(email))).RefreshToken; // sign-in 1 of 3
        var subject = (await (await client.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetString()!;
        // More refreshes than the login window's three: the refresh window's five.
        for (var i = 0; i < 5; i++) refresh = (await client.UseTokensAsync(await client.RefreshAsync(refresh))).RefreshToken;
        var redeemed = await RedeemedTokensAsync(subject);
        Assert.True(redeemed >= 5, $"each refresh redeems the token it presents ({redeemed} redeemed)");

        var limited = await client.RefreshAsync(refresh);
        await limited.EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromHours(1), limited.Headers.RetryAfter?.Delta);
        // The refused refresh spent nothing: its token is not redeemed, so presenting it later is no reuse that would end the sign-in.
        Assert.Equal(redeemed, await RedeemedTokensAsync(subject));
        // The login window still has its two sign-ins: the refreshes did not use them up.
        for (var i = 0; i < 2; i++) await (await client.TokenAsync(email)).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
    }

    /// <summary>
    /// OpenIddict refuses a made-up refresh token, an unknown client or a wrong secret itself, during authentication,
    /// before any endpoint runs; the limiter runs before it, so these count as well, and so do the server's other endpoints.
    /// </summary>
    [Fact]
    public async Task RequestsOpenIddictRefusesItself_AndItsOtherEndpoints_AreLimitedToo()
    {
        static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
            new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

        var guesser = From("192.0.2.40");
        for (var i = 0; i < 5; i++)
            await (await guesser.RefreshAsync("pahittad-" + i)).EnsureOAuthErrorAsync("invalid_grant");
        await (await guesser.RefreshAsync("pahittad-5")).EnsureStatusAsync(HttpStatusCode.TooManyRequests);

        var secrets = From("192.0.2.41");
        Task<HttpResponseMessage> ClientCredentialsAsync(int i) => secrets.Http.PostAsync(SspfSamordning.Api.Infrastructure.Auth.OpenIdServer.TokenPath,
            Form(("grant_type", "client_credentials"), ("client_id", "statistik-export"), ("client_secret", "fel-" + i)));
        for (var i = 0; i < 3; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await ClientCredentialsAsync(i)).StatusCode);
        await (await ClientCredentialsAsync(3)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);

        var devices = From("192.0.2.42");
        for (var i = 0; i < 5; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await devices.Http.PostAsync("/connect/device", Form(("client_id", "okand-" + i)))).StatusCode);
        await (await devices.Http.PostAsync("/connect/device", Form(("client_id", "okand")))).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        await (await devices.Http.PostAsync("/connect/revoke", Form(("client_id", "okand"), ("token", "x")))).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        // Another address is not limited by these.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await From("192.0.2.43").Http.PostAsync("/connect/device", Form(("client_id", "okand")))).StatusCode);
    }

    private async Task<int> RedeemedTokensAsync(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
        var redeemed = 0;
        await foreach (var token in tokens.FindBySubjectAsync(subject))
            if (await tokens.HasStatusAsync(token, OpenIddict.Abstractions.OpenIddictConstants.Statuses.Redeemed)) redeemed++;
        return redeemed;
    }

    [Fact]
    public async Task Login_FromOneIpv6Slash64_SharesABucket_AnotherSlash64DoesNot()
    {
        for (var i = 0; i < 3; i++) await (await LoginAsync(From($"2001:db8:1:2::{i + 1}"), i)).EnsureOAuthErrorAsync("invalid_grant");
        await (await LoginAsync(From("2001:db8:1:2:ffff:ffff:ffff:ffff"), 4)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        await (await LoginAsync(From("2001:db8:1:3::1"), 5)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Login_ManyClientsAgainstOneAccount_AreLimitedPerAccount_WhetherOrNotItExists()
    {
        var email = SspfClient.Demo("fritid", "falkoping"); // no such user: an unknown account is limited alike
        for (var i = 0; i < 4; i++)
            await (await From($"198.51.100.{i + 1}").TokenAsync(email, "Fel-losenord-123!")).EnsureOAuthErrorAsync("invalid_grant");
        var limited = await From("198.51.100.50").TokenAsync(email, "Fel-losenord-123!");
        await limited.EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);

        var known = SspfClient.Demo("granskare");
        for (var i = 0; i < 4; i++)
            await (await From($"198.51.101.{i + 1}").TokenAsync(known, "Fel-losenord-123!" + i)).EnsureOAuthErrorAsync("invalid_grant");
        await (await From("198.51.101.50").TokenAsync(known)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        // The same e-mail written differently is the same account.
        await (await From("198.51.101.51").TokenAsync(" GRANSKARE@falkenberg.example ")).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task FailedLogins_ForUnknownAccounts_CannotFloodTheAccessLog()
    {
        async Task<int> UnknownFailuresAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            return await db.AccessEvents.CountAsync(e => e.Action == AuditAction.LoginFailed && e.ActorUserId == null);
        }
        async Task<int> KnownFailuresAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            return await db.AccessEvents.CountAsync(e => e.Action == AuditAction.LoginFailed && e.ActorUserId != null);
        }
        var before = await UnknownFailuresAsync();
        var knownBefore = await KnownFailuresAsync();
        for (var i = 0; i < 8; i++)
            await (await LoginAsync(From($"203.0.113.{i + 1}"), 100 + i)).EnsureOAuthErrorAsync("invalid_grant");
        // At most two a minute are written (a window may have started before this test: then fewer).
        Assert.InRange(await UnknownFailuresAsync() - before, 0, 2);

        // An existing account's failures are always written.
        for (var i = 0; i < 2; i++)
            await (await From($"203.0.114.{i + 1}").TokenAsync(SspfClient.Demo("socialsekreterare"), "Fel-losenord-123!")).EnsureOAuthErrorAsync("invalid_grant");
        Assert.Equal(knownBefore + 2, await KnownFailuresAsync());
    }
}

public sealed class ProxiedRateLimitTests(ProxiedRateLimitFactory factory) : IClassFixture<ProxiedRateLimitFactory>
{
    private SspfClient Via(string peer, string forwardedFor)
    {
        var client = factory.CreateSspfClient();
        client.Http.DefaultRequestHeaders.Add(TestPeerFilter.Header, peer);
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    [Fact]
    public async Task BehindAKnownProxy_EachForwardedClientHasItsOwnBucket()
    {
        for (var i = 0; i < 3; i++)
            await (await Via("10.0.0.1", "192.0.2.30").TokenAsync($"ingen{i}@falkenberg.example", "x")).EnsureOAuthErrorAsync("invalid_grant");
        await (await Via("10.0.0.1", "192.0.2.30").TokenAsync("ingen9@falkenberg.example", "x")).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        // Everyone else behind the same proxy still signs in.
        await (await Via("10.0.0.1", "192.0.2.31").TokenAsync(SspfClient.Demo("polis"))).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task FromAnUnknownPeer_ForwardedHeadersAreIgnored()
    {
        // A client that talks to the app directly cannot pick a new bucket per request by forging the header.
        for (var i = 0; i < 3; i++)
            await (await Via("192.0.2.40", $"198.51.100.{i + 1}").TokenAsync($"ingen{i}@falkenberg.example", "x")).EnsureOAuthErrorAsync("invalid_grant");
        await (await Via("192.0.2.40", "198.51.100.99").TokenAsync("ingen9@falkenberg.example", "x")).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
    }
}
