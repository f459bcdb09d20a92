using Microsoft.AspNetCore.Authorization;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Web;

/// <summary>
/// The Swedish web interface (Razor Pages under <c>Pages/</c>, docs/web.md): registration and the middleware that
/// only page requests pass — Swedish error pages (<see cref="WebErrorPages"/>) instead of ProblemDetails, and the Content-Security-Policy.
/// </summary>
public static class WebInterface
{
    /// <summary>
    /// No inline script or style at all (every asset is a file the app serves), no plugins, no framing, no base tag.
    /// form-action 'self': a form may only post to the app — widened for one response only by
    /// <see cref="AuthorizeFormAction"/> (the sign-in page of an OpenID Connect authorization request also lets its
    /// POST's redirect chain end at the client's registered redirect URI).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>Paths that are not pages: the API, health, the OpenAPI document and reference, the jobs dashboard.</summary>
    // /connect and /.well-known: the OpenID Connect server (OpenIddict) answers with OAuth errors and JSON, not pages.
    private static readonly string[] NonPagePrefixes = ["/api", "/health", "/openapi", "/scalar", "/connect", "/.well-known", JobsDashboardPath];
    private const string JobsDashboardPath = Scheduling.JobsDashboard.Path;

    public static bool IsPagePath(PathString path) => !NonPagePrefixes.Any(p => path.StartsWithSegments(p));

    public static IServiceCollection AddSspfWeb(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(PageAuditFilter)));
            // Every page authenticates with the web cookie (and only pages do); each page names its policy (a test checks).
            o.Conventions.AddFolderApplicationModelConvention("/", model =>
                model.EndpointMetadata.Add(new AuthorizeAttribute { AuthenticationSchemes = WebSession.Scheme }));
        }).AddMvcOptions(o =>
        {
            // The address names the record: a route value (the case's id in /arenden/{id}/…) binds before a posted form field
            // of the same name, which MVC would otherwise prefer — a posted `id` could make the handler act on another
            // record than the one the access log names (PageAuditFilter reads the route).
            var route = o.ValueProviderFactories.OfType<Microsoft.AspNetCore.Mvc.ModelBinding.RouteValueProviderFactory>().Single();
            o.ValueProviderFactories.Remove(route);
            o.ValueProviderFactories.Insert(0, route);
        });
        services.AddScoped<PageAuditFilter>();
        // Swedish letters as they are (Razor would otherwise write å, ä, ö as character references).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = environment.IsDevelopment() ? "sspf-af" : "__Host-sspf-af";
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__RequestVerificationToken";
        });
        return services;
    }

    /// <summary>After the API's exception handler and status-code pages: page requests get Swedish pages without details.</summary>
    public static void UseSspfWeb(this WebApplication app)
    {
        app.UseWhen(http => IsPagePath(http.Request.Path), branch =>
        {
            branch.Use(async (http, next) =>
            {
                http.Response.OnStarting(() =>
                {
                    // form-action is the policy's last directive: an extra source is appended to it.
                    http.Response.Headers.ContentSecurityPolicy = AuthorizeFormAction.For(http) is { } source
                        ? ContentSecurityPolicy + " " + source : ContentSecurityPolicy;
                    return Task.CompletedTask;
                });
                await next();
            });
            // The Swedish error pages (IExceptionHandlers leave page requests to this one).
            branch.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = http =>
                {
                    http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return WebErrorPages.WriteAsync(http);
                },
            });
            branch.UseStatusCodePages(context => WebErrorPages.WriteAsync(context.HttpContext));
            branch.UseStaticFiles();
            // A path that is neither a page nor a file: 404 for everyone, before authorization (whose fallback would say 401).
            branch.Use((http, next) =>
            {
                if (http.GetEndpoint() is not null) return next(http);
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }

    public static void MapSspfWeb(this WebApplication app) => app.MapRazorPages();
}
