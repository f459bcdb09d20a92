using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SspfSamordning.Api.Infrastructure.Http;

public static class RateLimits
{
    /// <summary>Login and token refresh: a fixed window per client address.</summary>
    public const string Auth = "auth";

    public static IServiceCollection AddSspfRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var permitLimit = configuration.GetValue("RateLimiting:AuthPermitLimit", 10);
        var window = TimeSpan.FromSeconds(configuration.GetValue("RateLimiting:AuthWindowSeconds", 60));
        return services.AddRateLimiter(o =>
        {
            o.AddPolicy(Auth, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = ((int)window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Title = "För många försök, vänta en stund", Status = StatusCodes.Status429TooManyRequests },
                });
            };
        });
    }
}
