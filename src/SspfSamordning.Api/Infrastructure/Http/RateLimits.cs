using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using OpenIddict.Abstractions;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Rate limits of the anonymous sign-in endpoints. Login: a fixed window per client (<see cref="ClientPartition"/>:
/// the address, an IPv6 client by its /64) and, inside the handler, per account (<see cref="AccountAttempts"/>).
/// The token endpoint (<c>/connect/token</c>, <see cref="Token"/>): a sign-in counts in the login window, a renewal in a
/// window of its own. The OpenID Connect server's other endpoints (device authorization, authorization, revocation,
/// introspection) share the renewal window (<see cref="OtherConnectEndpoints"/>). The limiter runs before authentication,
/// where OpenIddict reads these requests and answers a refused one itself (a wrong client secret, an unknown client, a
/// made-up refresh token): so those are counted too.
/// </summary>
public static class RateLimits
{
    /// <summary>The web sign-in page (/logga-in): its POSTs per client address, with the login's window; showing the form is free.</summary>
    public const string WebSignIn = "web-sign-in";
    /// <summary>
    /// The token endpoint, per client address: a sign-in (the password or client credentials grant: a secret tried) in the
    /// login window; a renewal (a refresh token, an authorization code or a device code presented: a credential already
    /// issued) in a window of its own, <c>RateLimiting:Refresh*</c> — so that an office behind one address, refreshing
    /// its tokens every few minutes or polling for a device's approval, neither locks its own sign-ins out nor is locked
    /// out by them. It runs before OpenIddict has seen the request, so a refused renewal spends nothing, and the grant
    /// type is read from the form (<see cref="UseTokenFormReading"/> read it).
    /// </summary>
    public const string Token = "token";

    public static IServiceCollection AddSspfRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var login = Window(configuration, "Auth", 10, 60);
        var renewal = Window(configuration, "Refresh", 60, 60);
        services.AddSingleton(new AccountAttempts(Window(configuration, "Account", 10, 300)));
        services.AddSingleton(new StatisticsRequests(
            configuration.GetValue("RateLimiting:StatisticsPerUser", 1), configuration.GetValue("RateLimiting:StatisticsPerProcess", 2)));
        return services.AddRateLimiter(o =>
        {
            o.AddPolicy(Token, http => IsRenewal(http)
                ? RateLimitPartition.GetFixedWindowLimiter("renewal " + ClientPartition(http), _ => renewal)
                : RateLimitPartition.GetFixedWindowLimiter(ClientPartition(http), _ => login));
            o.AddPolicy(WebSignIn, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientPartition(http), _ => login)
                : RateLimitPartition.GetNoLimiter("show-form"));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => OtherConnectEndpoints(http.Request.Path)
                ? RateLimitPartition.GetFixedWindowLimiter("connect " + ClientPartition(http), _ => renewal)
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var result = TooManyAttempts(http, IsRenewal(http) ? renewal.Window : login.Window);
                // A page answers with the Swedish 429 page (WebInterface's status-code pages), not ProblemDetails.
                if (Web.WebInterface.IsPagePath(http.Request.Path)) http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                else await result.ExecuteAsync(http);
            };
        });
    }

    /// <summary>Whether the request presents a credential already issued (<see cref="Token"/>), or is one of <see cref="OtherConnectEndpoints"/>.</summary>
    private static bool IsRenewal(HttpContext http)
    {
        if (OtherConnectEndpoints(http.Request.Path)) return true;
        // Read by UseTokenFormReading before the limiter (never read here: that would block on the body).
        if (!http.Request.Path.Equals(Auth.OpenIdServer.TokenPath, StringComparison.OrdinalIgnoreCase)
            || http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is not { } form)
            return false;
        var grant = form[OpenIddictConstants.Parameters.GrantType].ToString();
        return grant is OpenIddictConstants.GrantTypes.RefreshToken or OpenIddictConstants.GrantTypes.AuthorizationCode
            or OpenIddictConstants.GrantTypes.DeviceCode;
    }

    /// <summary>The OpenID Connect server's endpoints besides the token endpoint, each per client address in the renewal window.</summary>
    private static bool OtherConnectEndpoints(PathString path) =>
        path.Equals(Auth.OpenIdServer.DeviceAuthorizationPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(Auth.OpenIdServer.AuthorizationPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(Auth.OpenIdServer.RevocationPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(Auth.OpenIdServer.IntrospectionPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Before the limiter: a token request's form is read (within the request body limit) and kept, so that the
    /// limiter's partition can see its grant type and OpenIddict reads the same form afterwards.
    /// </summary>
    public static IApplicationBuilder UseTokenFormReading(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
            && http.Request.Path.Equals(Auth.OpenIdServer.TokenPath, StringComparison.OrdinalIgnoreCase))
        {
            // A malformed form is OpenIddict's to refuse (invalid_request), as before; it then counts as a sign-in.
            try { await http.Request.ReadFormAsync(http.RequestAborted); }
            catch (InvalidDataException) { }
        }
        await next();
    });

    /// <summary>
    /// The client's partition key: its address as the forwarded headers of a known proxy give it (<see cref="KnownProxies"/>),
    /// an IPv4-mapped IPv6 address as IPv4, any other IPv6 address by its /64 (one household or host has the whole prefix).
    /// </summary>
    public static string ClientPartition(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>429 with <c>Retry-After</c>, as ProblemDetails.</summary>
    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan window)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "För många försök, vänta en stund", statusCode: StatusCodes.Status429TooManyRequests,
            extensions: new Dictionary<string, object?> { ["code"] = "TooManyAttempts" });
    }

    private static FixedWindowRateLimiterOptions Window(IConfiguration configuration, string name, int permits, int seconds) => new()
    {
        PermitLimit = configuration.GetValue($"RateLimiting:{name}PermitLimit", permits),
        Window = TimeSpan.FromSeconds(configuration.GetValue($"RateLimiting:{name}WindowSeconds", seconds)),
        QueueLimit = 0,
    };
}

/// <summary>
/// Login attempts per account name (the e-mail as given, normalised), whoever sends them and whether or not the
/// account exists: many clients together cannot try more than <c>RateLimiting:AccountPermitLimit</c> passwords on
/// one account per window, and the answer never tells whether the account exists.
/// </summary>
public sealed class AccountAttempts(FixedWindowRateLimiterOptions window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(
        key => RateLimitPartition.GetFixedWindowLimiter(key, _ => window));

    public TimeSpan Window => window.Window;

    public bool TryAcquire(string? email)
    {
        using var lease = limiter.AttemptAcquire(Key(email));
        return lease.IsAcquired;
    }

    /// <summary>
    /// One password check per account at a time (in this process): each attempt reads the account's lockout after the
    /// previous one recorded its failure, so guesses sent in parallel get no more tries than
    /// <c>Auth:MaxFailedAccessAttempts</c> — a right password among them is refused once the wrong ones locked the
    /// account. Striped: accounts whose keys share a stripe wait for each other, which only costs time.
    /// </summary>
    public async Task<IDisposable> OneAtATimeAsync(string? email, CancellationToken ct)
    {
        var gate = gates[(int)(BitConverter.ToUInt32(Convert.FromHexString(Key(email)[..8])) % (uint)gates.Length)];
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    // Keyed by a hash: neither the limiter's nor the gates' memory holds e-mail addresses.
    private static string Key(string? email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes((email ?? "").Trim().ToUpperInvariant())));

    private readonly SemaphoreSlim[] gates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    public void Dispose()
    {
        limiter.Dispose();
        foreach (var gate in gates) gate.Dispose();
    }
}

/// <summary>
/// Statistics requests running at once (Features/Statistics, both the API and the page): at most
/// <c>RateLimiting:StatisticsPerUser</c> per person and <c>RateLimiting:StatisticsPerProcess</c> in the process. Each
/// request runs its grouped queries on up to four pooled connections and a core's work per query, so a burst of them
/// would hold the pool and the CPU the case work needs. No queue: a request over either limit is refused at once (429).
/// </summary>
public sealed class StatisticsRequests(int perUser, int perProcess) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<Guid, Guid>(user => RateLimitPartition.GetConcurrencyLimiter(user, _ => Permits(perUser))),
        PartitionedRateLimiter.Create<Guid, string>(_ => RateLimitPartition.GetConcurrencyLimiter("process", _ => Permits(perProcess))));

    /// <summary>A lease to hold while the request runs (dispose it at the end); <c>IsAcquired</c> false: refuse the request.</summary>
    public RateLimitLease TryEnter(Guid userId) => limiter.AttemptAcquire(userId);

    private static ConcurrencyLimiterOptions Permits(int permits) => new() { PermitLimit = permits, QueueLimit = 0 };

    /// <summary>429 with <c>Retry-After</c>, as ProblemDetails in Swedish.</summary>
    public static ProblemHttpResult TooMany(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "2";
        return TypedResults.Problem(title: "Statistiken tar emot för många frågor just nu",
            detail: "Vänta tills din förra statistikfråga är klar och försök igen om en stund.",
            statusCode: StatusCodes.Status429TooManyRequests, extensions: new Dictionary<string, object?> { ["code"] = "TooManyStatisticsRequests" });
    }

    public void Dispose() => limiter.Dispose();
}
