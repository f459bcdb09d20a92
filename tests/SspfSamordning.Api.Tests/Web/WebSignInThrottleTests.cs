using System.Net;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>An app whose sign-in allows three attempts per client address and window.</summary>
public sealed class ThrottledSignInFactory : SspfApiFactory
{
    public ThrottledSignInFactory() => Settings["RateLimiting:AuthPermitLimit"] = "3";
}

public sealed class WebSignInThrottleTests(ThrottledSignInFactory factory) : IClassFixture<ThrottledSignInFactory>
{
    [Fact]
    public async Task SignInPosts_PerClientAddress_AreLimited_WithASwedish429()
    {
        var web = new WebClient(factory);
        for (var i = 0; i < 3; i++)
        {
            var (allowed, _) = await web.PostFormAsync("/logga-in", [new("Email", $"person{i}@falkenberg.example"), new("Password", "fel-losenord-123")]);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var (refused, html) = await web.PostFormAsync("/logga-in", [new("Email", SspfClient.Demo("polis")), new("Password", SspfClient.DemoPassword)]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Contains("För många försök", html);
        // Showing the form costs nothing.
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/logga-in")).Response.StatusCode);
    }
}
