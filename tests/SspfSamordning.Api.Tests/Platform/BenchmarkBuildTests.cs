using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// The load benchmark's raw-Npgsql baselines (GET /bench/baseline/{id}: a case row without authorization, decryption or
/// audit; GET /bench/secure/{id}: the secure read in raw SQL) and its bulk seed exist only in the benchmark build (<c>-p:SspfBench=true</c>, bench/load.sh). The build that
/// ships — the one these tests run — must not contain them.
/// </summary>
public sealed class BenchmarkBuildTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task NormalBuild_DoesNotServeTheBaselineEndpoint()
    {
        // The benchmark build answers this path anonymously (200, or a JSON 404); here no endpoint matches, so it is an
        // unknown address outside the API: the web interface's Swedish 404 page, as for any unknown page.
        foreach (var path in new[] { "baseline", "secure" })
        {
            var response = await factory.CreateClient().GetAsync($"/bench/{path}/{Guid.NewGuid()}");
            await response.EnsureStatusAsync(HttpStatusCode.NotFound);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "").ToList();
        Assert.Contains(routes, r => r.StartsWith("/api/cases", StringComparison.Ordinal));
        Assert.DoesNotContain(routes, r => r.StartsWith("/bench", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NormalBuild_DoesNotContainTheBenchmarkCode()
    {
        var types = typeof(Program).Assembly.GetTypes().Select(t => t.FullName ?? "").ToList();
        Assert.Contains("SspfSamordning.Api.Features.Cases.GetCase", types);
        Assert.DoesNotContain(types, t => t.StartsWith("SspfSamordning.Api.Features.Bench.", StringComparison.Ordinal));
    }
}
