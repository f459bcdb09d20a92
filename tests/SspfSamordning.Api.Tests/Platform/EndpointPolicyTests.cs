using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

public sealed class EndpointPolicyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    /// <summary>The only endpoints anyone may call without signing in (the /scalar API reference exists in Development only).</summary>
    private static readonly HashSet<string> Anonymous =
        ["/api/auth/login", "/api/auth/refresh", "/connect/token", "/health/live", "/health/ready", "/openapi/{documentName}.json",
         "/scalar/{documentName?}", "/scalar/scalar.js", "/scalar/scalar.aspnetcore.js", "/scalar/favicon.svg"];

    public static IReadOnlyList<RouteEndpoint> Endpoints(SspfApiFactory factory)
    {
        factory.CreateClient().Dispose();
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
    }

    [Fact]
    public void EveryEndpoint_NamesAPolicy_OrIsOnTheAnonymousList()
    {
        var endpoints = Endpoints(factory);
        Assert.True(endpoints.Count >= 10, $"only {endpoints.Count} endpoints found");
        var offenders = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText!;
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (anonymous != Anonymous.Contains(pattern) || (!anonymous && (policies.Count == 0 || policies.Any(string.IsNullOrEmpty))))
                offenders.Add($"{endpoint.DisplayName} ({pattern}): anonymous={anonymous}, policies=[{string.Join(",", policies)}]");
        }
        Assert.True(offenders.Count == 0, "Endpoints without a policy:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task Statistics_NamesTheStatisticsPolicy_WhichAdmitsOnlyAnalytikerAndSamordnare()
    {
        var endpoint = Assert.Single(Endpoints(factory), e => e.RoutePattern.RawText == "/api/statistics");
        var policy = Assert.Single(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()).Policy;
        Assert.Equal("Statistics", policy);
        var resolved = await factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policy!);
        var roles = Assert.Single(resolved!.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>());
        Assert.Equal(["Analytiker", "Samordnare"], roles.AllowedRoles.Order(StringComparer.Ordinal));
    }
}
