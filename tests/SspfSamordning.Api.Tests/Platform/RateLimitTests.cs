using System.Net;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

public sealed class RateLimitFactory : SspfApiFactory
{
    public RateLimitFactory() => Settings["RateLimiting:AuthPermitLimit"] = "3";
}

public sealed class RateLimitTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    [Fact]
    public async Task Login_BeyondTheLimit_Answers429()
    {
        var client = factory.CreateSspfClient();
        for (var i = 0; i < 3; i++)
            await (await client.LoginAsync($"ingen{i}@falkenberg.example", "x")).EnsureStatusAsync(HttpStatusCode.Unauthorized);

        var limited = await client.LoginAsync(SspfClient.Demo("polis"));
        await limited.EnsureStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        await (await client.Http.PostAsync("/api/auth/refresh", null)).EnsureStatusAsync(HttpStatusCode.TooManyRequests);
    }
}
