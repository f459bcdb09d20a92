using System.Net;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

public sealed class OneHourSessionFactory : SspfApiFactory
{
    public OneHourSessionFactory() => Settings["Auth:SessionLifetimeHours"] = "1";
}

/// <summary>Issue 23 item 6: a session ends at its absolute lifetime however often it is refreshed.</summary>
public sealed class SessionLifetimeTests(OneHourSessionFactory factory) : IClassFixture<OneHourSessionFactory>
{
    [Fact]
    public async Task Refresh_BeyondTheAbsoluteLifetime_IsRefused_AndNoTokenOutlivesTheSession()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        // Refreshing every nine minutes keeps the session going ... up to its hour.
        for (var i = 0; i < 6; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(9));
            tokens = await client.UseTokensAsync(await client.RefreshAsync(tokens.RefreshToken));
            await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        }
        // 54 minutes in: the new access token ends with the session, after 6 minutes, not 10.
        Assert.InRange(tokens.ExpiresIn, 1, 6 * 60);

        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task AccessToken_IsCheckedAgainstTheLifetimeOnEveryRequest_NotOnlyByItsOwnExpiry()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        factory.Clock.Advance(TimeSpan.FromMinutes(7));

        // A second instance on the same database whose operator shortened the lifetime to six minutes: the token
        // (valid for three more minutes by its own expiry) is refused there, and still accepted here.
        using var shorter = SspfApiFactory.SharingDatabaseWith(factory);
        shorter.Settings["Auth:SessionLifetimeHours"] = "0.1";
        var there = shorter.CreateSspfClient();
        there.Http.DefaultRequestHeaders.Authorization = client.Http.DefaultRequestHeaders.Authorization;
        await (await there.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("337")] // 14 days and an hour
    public void SessionLifetime_OutsideItsBounds_RefusesToStart(string hours)
    {
        using var factory = new SspfApiFactory();
        factory.Settings["Auth:SessionLifetimeHours"] = hours;
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("SessionLifetimeHours", error.ToString(), StringComparison.Ordinal);
    }
}
