using OpenIddict.EntityFrameworkCore.Models;

namespace SspfSamordning.Api.Infrastructure.Persistence;

// OpenIddict's entities (tables OpenIddictApplications, -Authorizations, -Scopes, -Tokens), subclassed only so that the
// token row can name the sign-in session it acts for (SspfToken); the other three add nothing.

public sealed class SspfApplication : OpenIddictEntityFrameworkCoreApplication<Guid, SspfAuthorization, SspfToken>;

public sealed class SspfAuthorization : OpenIddictEntityFrameworkCoreAuthorization<Guid, SspfApplication, SspfToken>;

public sealed class SspfScope : OpenIddictEntityFrameworkCoreScope<Guid>;

/// <summary>
/// An OpenIddict token row. For an access token that may reach the API (issued for a sign-in session, with the
/// <c>sspf_api</c> scope) it also names that session and the user's security stamp at issue, set when the row is created
/// (<see cref="Auth.SspfTokenManager"/>), so that a bearer request is checked by one query: this row by its hashed
/// handle, joined to the session and the user (<see cref="Auth.SessionPrincipal"/>). Null for every other token: a
/// refresh token, a code, a client-credentials token, a token without the API scope.
/// </summary>
public sealed class SspfToken : OpenIddictEntityFrameworkCoreToken<Guid, SspfApplication, SspfAuthorization>
{
    /// <summary>The sign-in session (<see cref="Auth.AuthSession"/>) this access token acts for on the API; null: none.</summary>
    public Guid? ApiSessionId { get; set; }

    /// <summary>The user's security stamp when the token was issued: a changed stamp ends the token.</summary>
    public string? ApiSecurityStamp { get; set; }
}
