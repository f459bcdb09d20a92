using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>A step of signing in that a session may still lack; the policies require them in this order.</summary>
public enum SignInStep
{
    /// <summary>The password was chosen by an administrator: the person chooses their own first.</summary>
    PasswordChange,
    /// <summary>The session was signed in with a password alone: the person enrols (or gives) a second factor.</summary>
    SecondFactor,
}

/// <summary>The session's password is the person's own (not an administrator-chosen initial one).</summary>
public sealed class OwnPasswordRequirement : IAuthorizationRequirement;

/// <summary>The session was signed in with a second factor (unless Development relaxed it).</summary>
public sealed class SecondFactorRequirement(bool relaxed) : IAuthorizationRequirement
{
    public bool Relaxed { get; } = relaxed;
}

/// <summary>
/// Decides both requirements from the claims the bearer handler read on this request, and notes the first missing
/// step on the request for <see cref="BearerHandler"/>'s 403 answer.
/// </summary>
public sealed class SignInStepHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var user = context.User;
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            if (requirement is OwnPasswordRequirement)
            {
                if (!user.MustChangePassword()) context.Succeed(requirement);
                else SignInSteps.Note(context, SignInStep.PasswordChange);
            }
            else if (requirement is SecondFactorRequirement secondFactor)
            {
                if (secondFactor.Relaxed || user.IsMultiFactor()) context.Succeed(requirement);
                else SignInSteps.Note(context, SignInStep.SecondFactor);
            }
        }
        return Task.CompletedTask;
    }
}

/// <summary>The 403 answers for a missing sign-in step: a problem type of their own, with a Swedish title and detail.</summary>
public static class SignInSteps
{
    public const string SecondFactorRequiredType = "urn:sspf:problem:second-factor-required";
    public const string PasswordChangeRequiredType = "urn:sspf:problem:password-change-required";
    private static readonly object ItemKey = new();

    internal static void Note(AuthorizationHandlerContext context, SignInStep step)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true) return;
        // The earliest missing step is the one to take first.
        if (http.Items[ItemKey] is not SignInStep noted || step < noted) http.Items[ItemKey] = step;
    }

    public static SignInStep? Missing(HttpContext http) => http.Items[ItemKey] as SignInStep?;

    public static Task WriteProblemAsync(HttpContext http, SignInStep step)
    {
        var problem = step switch
        {
            SignInStep.PasswordChange => new ProblemDetails
            {
                Type = PasswordChangeRequiredType,
                Title = "Byt lösenord först",
                Detail = "Lösenordet valdes av en administratör. Välj ett eget lösenord (POST /api/auth/password) och logga in igen.",
                Extensions = { ["code"] = "PasswordChangeRequired" },
            },
            _ => new ProblemDetails
            {
                Type = SecondFactorRequiredType,
                Title = "Tvåstegsverifiering krävs",
                Detail = "Aktivera tvåstegsverifiering (POST /api/auth/2fa/setup och /api/auth/2fa/enable) och logga in igen med en kod från autentiseringsappen.",
                Extensions = { ["code"] = "SecondFactorRequired" },
            },
        };
        problem.Status = StatusCodes.Status403Forbidden;
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
    }
}
