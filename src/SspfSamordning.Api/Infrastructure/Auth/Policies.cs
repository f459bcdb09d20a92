using Microsoft.AspNetCore.Authorization;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Every endpoint names one of these (a test enforces it). All but <see cref="AnySession"/> require that the
/// user has chosen their own password; all but that and <see cref="SignedIn"/> also require the second factor,
/// unless Development relaxed it. A missing step answers 403 with its own problem type (<see cref="SignInSteps"/>).
/// </summary>
public static class Policies
{
    /// <summary>Any valid session, even one that must first replace an administrator-chosen password: password change, logout.</summary>
    public const string AnySession = "AnySession";
    /// <summary>Any signed-in user with a password of their own, even one still to enrol a second factor: /api/me, 2FA enrolment.</summary>
    public const string SignedIn = "SignedIn";
    /// <summary>Any user signed in with every step (own password, second factor), whatever the role: the web start page.</summary>
    public const string FullySignedInUser = "FullySignedIn";
    public const string Admin = "Admin";
    /// <summary>Reads case content (what each reader sees is decided per case, in the query).</summary>
    public const string CaseReader = "CaseReader";
    /// <summary>Runs cases: opens, manages members, requests consent, books meetings, closes.</summary>
    public const string Coordinator = "Coordinator";
    /// <summary>Records signatories' answers, withdrawals and narrowed scopes of consent.</summary>
    public const string ConsentRecorder = "ConsentRecorder";
    /// <summary>Socialtjänst: concern reports, disclosures without consent, bistånd decisions.</summary>
    public const string SocialServices = "SocialServices";
    /// <summary>Professionals who may file a concern report (the duty to report never depends on consent).</summary>
    public const string Reporter = "Reporter";
    /// <summary>Granskare: reads and verifies the access log, never case content.</summary>
    public const string Auditor = "Auditor";
    /// <summary>Analytiker and Samordnare: small-number-protected statistics of their own municipalities, never a case.</summary>
    public const string Statistics = "Statistics";

    public static AuthorizationBuilder AddSspfPolicies(this AuthorizationBuilder builder, bool relaxTwoFactor)
    {
        builder.Services.AddSingleton<IAuthorizationHandler, SignInStepHandler>();
        builder.AddPolicy(AnySession, p => p.RequireAuthenticatedUser());
        builder.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser().AddRequirements(new OwnPasswordRequirement()));
        builder.AddPolicy(FullySignedInUser, p => FullySignedIn(p, relaxTwoFactor));
        builder.AddPolicy(Admin, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Administrator));
        builder.AddPolicy(CaseReader, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Viewer.CaseRoles));
        builder.AddPolicy(Coordinator, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Samordnare));
        builder.AddPolicy(ConsentRecorder, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Samordnare, Roles.Socialsekreterare));
        builder.AddPolicy(SocialServices, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Socialsekreterare));
        builder.AddPolicy(Reporter, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Viewer.CaseRoles));
        builder.AddPolicy(Auditor, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Granskare));
        builder.AddPolicy(Statistics, p => FullySignedIn(p, relaxTwoFactor).RequireRole(Roles.Analytiker, Roles.Samordnare));
        // Anything that forgets to name a policy still needs a signed-in user.
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    private static AuthorizationPolicyBuilder FullySignedIn(AuthorizationPolicyBuilder p, bool relaxTwoFactor) =>
        p.RequireAuthenticatedUser().AddRequirements(new OwnPasswordRequirement(), new SecondFactorRequirement(relaxTwoFactor));
}
