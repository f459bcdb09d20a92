using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Behind a reverse proxy or TLS-terminating load balancer: the client's address (<c>X-Forwarded-For</c>) and scheme
/// (<c>X-Forwarded-Proto</c>) are taken from the forwarded headers only when the connection comes from a configured
/// proxy — <c>Http:KnownProxies</c> (addresses) or <c>Http:KnownNetworks</c> (CIDR). Without either, the headers are
/// ignored and the socket peer is the client: anyone could otherwise choose their own rate-limit bucket or pose as
/// HTTPS. The rate limits, HSTS and HTTPS redirection all see the forwarded values.
/// </summary>
public static class KnownProxies
{
    public const string ProxiesSetting = "Http:KnownProxies";
    public const string NetworksSetting = "Http:KnownNetworks";

    /// <summary>The options for <c>UseForwardedHeaders</c>, or null when no proxy is configured (headers ignored).</summary>
    public static ForwardedHeadersOptions? FromConfiguration(IConfiguration configuration)
    {
        var proxies = configuration.GetSection(ProxiesSetting).Get<string[]>() ?? [];
        var networks = configuration.GetSection(NetworksSetting).Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0) return null;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk X-Forwarded-For from the right through known proxies only; the first other address is the client.
            ForwardLimit = null,
            RequireHeaderSymmetry = false,
        };
        // The defaults trust loopback: trust exactly what is configured.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address : throw new InvalidOperationException($"{ProxiesSetting} contains '{proxy}', which is not an IP address."));
        foreach (var network in networks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed : throw new InvalidOperationException($"{NetworksSetting} contains '{network}', which is not a CIDR network (e.g. 10.0.0.0/8)."));
        return options;
    }
}
