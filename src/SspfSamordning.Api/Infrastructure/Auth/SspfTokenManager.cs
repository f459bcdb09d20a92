using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// OpenIddict's token manager, with two additions for <see cref="BearerHandler"/>'s single query:
/// <list type="bullet">
/// <item>when a token row is written from a token's principal, an access token that carries a sign-in session
/// (<c>sid</c>, subject, stamp) and the API scope gets <see cref="SspfToken.ApiSessionId"/> and
/// <see cref="SspfToken.ApiSecurityStamp"/>; every other token gets null and reaches nothing under <c>/api</c>;</item>
/// <item><see cref="HashHandleAsync"/>: the stored (hashed) reference id by the method OpenIddict itself stores and finds
/// tokens with, so that the bearer lookup finds exactly the row OpenIddict's <c>FindByReferenceIdAsync</c> would.</item>
/// </list>
/// That method (<see cref="ObfuscateReferenceIdAsync"/>) is overridden to compute OpenIddict's rule without its per-call
/// reflection; <c>ReferenceIdTests</c> holds it to OpenIddict's own.
/// </summary>
public sealed class SspfTokenManager(
    IOpenIddictTokenCache<SspfToken> cache, ILogger<OpenIddictTokenManager<SspfToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options, IOpenIddictTokenStore<SspfToken> store)
    : OpenIddictTokenManager<SspfToken>(cache, logger, options, store)
{
    /// <summary>The <c>Type</c> of an access token's row (OpenIddict 7 stores the URI-style token type identifiers).</summary>
    public const string AccessTokenType = TokenTypeIdentifiers.AccessToken;

    public override async ValueTask PopulateAsync(SspfToken token, OpenIddictTokenDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        await base.PopulateAsync(token, descriptor, cancellationToken);
        // Without a principal the descriptor was read back from this row (an update of its status or payload): the
        // row keeps what it was created with.
        if (descriptor.Principal is not { } principal) return;
        if (descriptor.Type == AccessTokenType && principal.HasScope(OpenIdServer.ApiScope)
            && ConnectToken.TryReadSession(principal, out _, out var sessionId, out var stamp))
            (token.ApiSessionId, token.ApiSecurityStamp) = (sessionId, stamp);
        else
            (token.ApiSessionId, token.ApiSecurityStamp) = (null, null);
    }

    /// <summary>The form in which a reference token's handle is stored (<c>ReferenceId</c>), by OpenIddict's rule.</summary>
    public ValueTask<string> HashHandleAsync(string handle, CancellationToken ct) => ObfuscateReferenceIdAsync(handle, ct);

    /// <summary>
    /// OpenIddict's rule for a reference token's stored handle — the base64 of the handle's SHA-256 — without the lookup its
    /// helper makes on every call first: <c>CryptoConfig.CreateFromName</c> of an override name that nobody registers, which
    /// runs <c>Type.GetType</c> each time. That lookup was 0.011 ms of every API request's CPU, ten times the hash itself
    /// (issue 22, bench/results/load.md round nineteen). OpenIddict stores and finds tokens through this method too, so the
    /// stored and the looked-up form cannot differ; <c>ReferenceIdTests</c> checks it still equals OpenIddict's own, so that
    /// rows written before this override are found.
    /// </summary>
    protected override ValueTask<string> ObfuscateReferenceIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return new(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(identifier))));
    }
}
