using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Scheduling;

/// <summary>
/// Hangfire's dashboard at <see cref="Path"/>: for an Administratör signed in with a second factor (never relaxed, not even
/// in Development); everyone else — anonymous, other roles, an administrator signed in with a password alone — gets 404,
/// as for any resource they may not know of. Reached with a bearer token or the web interface's cookie session (a link
/// on /administration). Read-only (no retry or delete buttons: those would need antiforgery inside Hangfire's pages);
/// the storage's connection string is not shown. Jobs carry ids only, their names are
/// class names, and the e-mail job's error names the delivery id alone, so the dashboard shows no personal data.
/// Mounted after authentication and before authorization (the fallback policy would answer 401 there, not 404).
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/admin/jobs";

    public static bool MayView(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && http.User.IsInRole(Roles.Administrator) && http.User.IsMultiFactor();

    public static void Map(WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (http, next) =>
        {
            // A browser brings the web interface's cookie session instead of a bearer token: the same re-checked session
            // (SessionPrincipal), the same rule below. The dashboard stays read-only, so it has no action to forge.
            if (http.User.Identity?.IsAuthenticated != true
                && await http.AuthenticateAsync(WebSession.Scheme) is { Succeeded: true, Principal: { } web })
                http.User = web;
            if (!MayView(http))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(http);
        }));
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdministratorWithSecondFactor()],
            IsReadOnlyFunc = _ => true,
            DisplayStorageConnectionString = false,
            AppPath = null,
            DashboardTitle = "SSPF Samordning – jobb",
        });
    }

    /// <summary>The same rule again inside the dashboard, should it ever be mounted without the gate above.</summary>
    private sealed class AdministratorWithSecondFactor : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) => Task.FromResult(MayView(context.GetHttpContext()));
    }
}
