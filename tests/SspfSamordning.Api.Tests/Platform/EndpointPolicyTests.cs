using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

public sealed class EndpointPolicyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    /// <summary>The only endpoints anyone may call without signing in (the /scalar API reference exists in Development only).</summary>
    private static readonly HashSet<string> Anonymous =
        ["/connect/token", "/connect/authorize", "/health/live", "/health/ready", "/openapi/{documentName}.json",
         "/scalar/{documentName?}", "/scalar/scalar.js", "/scalar/scalar.aspnetcore.js", "/scalar/favicon.svg",
         // The web interface's sign-in (Pages/).
         "/logga-in",
         // Sign-in through the municipality's identity provider (Features/Auth/FederatedSignIn.cs; mapped when one is configured).
         "/logga-in/extern/{provider}", "/logga-in/extern/svar", "/logga-in/extern/kod",
         // Back from the provider's end-session endpoint (Features/Auth/FederatedSignOut.cs): changes nothing, shows a message.
         "/logga-in/extern/utloggad",
         // The page between the local sign-out and the provider's (Pages/Account/ProviderSignOut): no session any more.
         "/logga-in/extern/utloggning"];

    /// <summary>An endpoint's route as written, with its leading slash (Razor Pages' absolute routes are stored without it).</summary>
    public static string Pattern(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.TrimStart('/');

    /// <summary>Whether the endpoint is a Razor page of the web interface.</summary>
    public static bool IsPage(Microsoft.AspNetCore.Http.Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null;

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
            var pattern = Pattern(endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            // A page's scheme-only entry (the web cookie, added to every page by convention) names no policy by design.
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Where(a => !(IsPage(endpoint) && a.Policy is null && a.AuthenticationSchemes == SspfSamordning.Api.Infrastructure.Auth.WebSession.Scheme))
                .Select(a => a.Policy).ToList();
            if (anonymous != Anonymous.Contains(pattern) || (!anonymous && (policies.Count == 0 || policies.Any(string.IsNullOrEmpty))))
                offenders.Add($"{endpoint.DisplayName} ({pattern}): anonymous={anonymous}, policies=[{string.Join(",", policies)}]");
        }
        Assert.True(offenders.Count == 0, "Endpoints without a policy:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void EveryPage_AuthenticatesWithTheWebCookie_AndNoOtherEndpointDoes()
    {
        var endpoints = Endpoints(factory);
        var pages = endpoints.Where(IsPage).ToList();
        Assert.True(pages.Count >= 5, $"only {pages.Count} pages found");
        bool NamesCookie(RouteEndpoint e) => e.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Any(a => a.AuthenticationSchemes?.Split(',').Contains(SspfSamordning.Api.Infrastructure.Auth.WebSession.Scheme) == true);
        Assert.All(pages, page => Assert.True(NamesCookie(page), $"{Pattern(page)} does not authenticate with the web cookie"));
        Assert.All(endpoints.Where(e => !IsPage(e)), e => Assert.False(NamesCookie(e), $"{Pattern(e)} accepts the web cookie"));
        Assert.DoesNotContain(pages, p => Pattern(p).StartsWith("/api", StringComparison.Ordinal));
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

    [Fact]
    public void StatisticsPage_NamesTheStatisticsPolicy_AsTheApiDoes()
    {
        var page = Assert.Single(Endpoints(factory), e => IsPage(e) && Pattern(e) == "/statistik");
        var policies = page.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        Assert.Equal(["Statistics"], policies);
    }

    /// <summary>The page that files an orosanmälan admits exactly whom the API's POST /api/concern-reports admits.</summary>
    [Fact]
    public void FileConcernReportPage_NamesThePolicyOfTheApisFiling()
    {
        static List<string?> PoliciesOf(Microsoft.AspNetCore.Http.Endpoint e) =>
            e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        var endpoints = Endpoints(factory);
        var page = Assert.Single(endpoints, e => IsPage(e) && Pattern(e) == "/orosanmalningar/ny");
        var api = Assert.Single(endpoints, e => Pattern(e) == "/api/concern-reports/"
            && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);
        Assert.Equal(["Reporter"], PoliciesOf(page));
        Assert.Equal(PoliciesOf(api), PoliciesOf(page));
    }
}
