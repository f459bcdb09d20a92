using Microsoft.AspNetCore.Authorization;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Every endpoint names one of these (a test enforces it). All but <see cref="SignedIn"/> also require
/// the second factor, unless Development relaxed it.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user, even one still to enrol a second factor: /api/me, 2FA enrolment, password, logout.</summary>
    public const string SignedIn = "SignedIn";
    public const string Admin = "Admin";

    public static AuthorizationBuilder AddSspfPolicies(this AuthorizationBuilder builder, bool relaxTwoFactor)
    {
        builder.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        builder.AddPolicy(Admin, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Administrator));
        // Anything that forgets to name a policy still needs a signed-in user.
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    private static AuthorizationPolicyBuilder FullySignedIn(AuthorizationPolicyBuilder p, bool relaxTwoFactor) =>
        p.RequireAuthenticatedUser().RequireAssertion(c => relaxTwoFactor || c.User.IsMultiFactor());
}
