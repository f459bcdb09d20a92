using OpenIddict.Abstractions;
using OpenIddict.Server;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Audit;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// A spent refresh token or authorization code presented again (theft detection, the family rule of the retired first-party tokens):
/// besides OpenIddict's own revocation of every token of the authorization (every token issued from that code or
/// sign-in), the sign-in session the token names is revoked (<c>refresh-token-reuse</c> / <c>authorization-code-reuse</c>)
/// — so the web cookie and every other token of that session end too — and a <see cref="AuditAction.RefreshTokenReuse"/>
/// or <see cref="AuditAction.AuthorizationCodeReuse"/> event naming the account is written. Runs just before OpenIddict's
/// <c>ValidateTokenEntry</c>, which then refuses the token (<c>invalid_grant</c>).
/// </summary>
public sealed class RefreshTokenReuseHandler(
    IOpenIddictTokenManager tokens, SessionStore sessions, IAuditContext audit, AuditLog log) : IOpenIddictServerHandler<ValidateTokenContext>
{
    /// <summary>Set in the request's transaction once the refusal is in the access log, so that it is not logged twice.</summary>
    public const string AuditedProperty = "sspf:refusal-audited";
    public const string RevokedReason = "refresh-token-reuse";
    public const string CodeRevokedReason = "authorization-code-reuse";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<RefreshTokenReuseHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || string.IsNullOrEmpty(context.TokenId) || context.Principal is null) return;
        var code = context.Request?.IsAuthorizationCodeGrantType() == true && context.Principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode);
        var refresh = context.Request?.IsRefreshTokenGrantType() == true && context.Principal.HasTokenType(TokenTypeIdentifiers.RefreshToken);
        if (!code && !refresh) return;
        var ct = context.CancellationToken;
        var token = await tokens.FindByIdAsync(context.TokenId, ct);
        if (token is null || !await tokens.HasStatusAsync(token, Statuses.Redeemed, ct)) return;
        if (refresh)
        {
            // The same test as OpenIddict's (the leeway is zero here: every second use is a reuse). A code has no leeway.
            var redeemed = await tokens.GetRedemptionDateAsync(token, ct);
            var leeway = context.Options.RefreshTokenReuseLeeway;
            if (leeway is not null && (redeemed is null || context.Options.TimeProvider.GetUtcNow() < redeemed + leeway)) return;
        }

        Guid? actor = null;
        if (ConnectToken.TryReadSession(context.Principal, out var userId, out var sessionId, out _))
        {
            await sessions.RevokeSessionAsync(sessionId, code ? CodeRevokedReason : RevokedReason, ct);
            actor = userId;
        }
        await log.AppendAsync(audit.NewEvent(code ? AuditAction.AuthorizationCodeReuse : AuditAction.RefreshTokenReuse, AuditDecision.Refused, actorUserId: actor,
            entityType: OpenIdAudit.TokenEntity, purpose: Errors.InvalidGrant), ct);
        context.Transaction.Properties[AuditedProperty] = true;
    }
}

/// <summary>
/// Every refusal at the token and authorization endpoints (unknown client, wrong secret, unsupported grant, invalid,
/// expired or reused code or refresh token, missing or plain PKCE, unregistered redirect URI, ...) is written to the
/// access log as <see cref="AuditAction.OAuthRefused"/>: entity type the endpoint, purpose the OAuth error, the grant (or
/// response) type and — only when it is registered — the client id. Never a code, token, secret or anything else the
/// caller typed. Events that name no one are admitted through <see cref="UnknownAccountEvents"/> (a flood of them is
/// counted in the application log instead). Not logged again here: a password-grant <c>invalid_grant</c>
/// (<see cref="PasswordSignIn"/> writes <c>LoginFailed</c> itself) and a refresh token or authorization code reuse (<see cref="RefreshTokenReuseHandler"/>).
/// </summary>
public sealed class OpenIdAudit(IOpenIddictApplicationManager applications, IAuditContext audit, AuditLog log, UnknownAccountEvents unknownEvents)
    : IOpenIddictServerHandler<ApplyTokenResponseContext>, IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public const string TokenEntity = "OAuthToken";
    public const string AuthorizationEntity = "OAuthAuthorization";

    private static readonly HashSet<string> KnownTypes =
    [
        GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials, GrantTypes.DeviceCode, GrantTypes.Implicit,
        GrantTypes.Password, GrantTypes.RefreshToken, GrantTypes.TokenExchange,
        ResponseTypes.Code, ResponseTypes.IdToken, ResponseTypes.Token, ResponseTypes.None,
        ResponseTypes.Code + " " + ResponseTypes.IdToken, ResponseTypes.Code + " " + ResponseTypes.Token,
        ResponseTypes.IdToken + " " + ResponseTypes.Token, ResponseTypes.Code + " " + ResponseTypes.IdToken + " " + ResponseTypes.Token,
    ];

    // Before OpenIddict's ASP.NET Core handlers write the response.
    private const int Order = int.MinValue + 100_000;

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<OpenIdAudit>().SetOrder(Order).SetType(OpenIddictServerHandlerType.Custom).Build();

    public static OpenIddictServerHandlerDescriptor AuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseScopedHandler<OpenIdAudit>().SetOrder(Order).SetType(OpenIddictServerHandlerType.Custom).Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var error = context.Response.Error;
        if (string.IsNullOrEmpty(error) || context.Transaction.Properties.ContainsKey(RefreshTokenReuseHandler.AuditedProperty)) return default;
        if (context.Request?.IsPasswordGrantType() == true && error == Errors.InvalidGrant) return default;
        // A device polling before the person has answered is the protocol working, not a refusal.
        if (error is Errors.AuthorizationPending or Errors.SlowDown) return default;
        return WriteAsync(context, TokenEntity, error, context.Request?.GrantType);
    }

    public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        var error = context.Response.Error;
        return string.IsNullOrEmpty(error) ? default : WriteAsync(context, AuthorizationEntity, error, context.Request?.ResponseType);
    }

    private async ValueTask WriteAsync(BaseRequestContext context, string endpoint, string error, string? type)
    {
        var ct = context.CancellationToken;
        var clientId = context.Transaction.Request?.ClientId;
        var registered = !string.IsNullOrEmpty(clientId) && clientId.Length <= 100
                         && await applications.FindByClientIdAsync(clientId, ct) is not null;
        var purpose = string.Join("; ", new[]
        {
            Safe(error),
            type is null ? null : "type=" + (KnownTypes.Contains(type) ? type : "other"),
            registered ? "client=" + clientId : null,
        }.Where(p => p is not null));
        var e = audit.NewEvent(AuditAction.OAuthRefused, AuditDecision.Refused, entityType: endpoint, purpose: purpose[..Math.Min(purpose.Length, 256)]);
        // A refusal nobody can be named in is anyone's to cause (a client id is public): bounded like failed sign-ins
        // of unknown accounts.
        if (e.ActorUserId is null && !unknownEvents.TryAdmit()) return;
        await log.AppendAsync(e, ct);
    }

    /// <summary>The error codes OpenIddict sets are ASCII words; anything else is not copied into the log.</summary>
    private static string Safe(string error) =>
        error.Length <= 64 && error.All(c => c is '_' or (>= 'a' and <= 'z')) ? error : "other";
}
