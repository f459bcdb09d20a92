using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// The largest request body each endpoint accepts, answered with 413 ProblemDetails before anything reads more.
/// Anonymous endpoints (login, refresh — and unknown routes) get a small limit, <c>RequestLimits:AnonymousMaxBodySize</c>
/// (16 KiB); every other endpoint <c>Kestrel:Limits:MaxRequestBodySize</c> (1 MiB).
/// </summary>
/// <remarks>
/// Kestrel binds only its endpoints and certificates from the <c>Kestrel</c> section by itself, so
/// <c>Kestrel:Limits:*</c> had no effect until <see cref="AddRequestBodyLimits"/> bound them. The middleware enforces the
/// limits on every server, the test host included: a declared <c>Content-Length</c> over the limit is refused before the
/// body is read; a body without one (chunked) is counted as it is read, and the request is answered 413 as soon as it
/// passes the limit. On Kestrel the per-request limit is also set on the connection (<see cref="IHttpMaxRequestBodySizeFeature"/>).
/// </remarks>
public static class RequestBodyLimits
{
    public const long DefaultMaxBodySize = 1024 * 1024;
    public const long DefaultAnonymousMaxBodySize = 16 * 1024;

    public static IWebHostBuilder AddRequestBodyLimits(this IWebHostBuilder webHost, IConfiguration configuration) =>
        webHost.ConfigureKestrel(o =>
        {
            configuration.GetSection("Kestrel:Limits").Bind(o.Limits);
            o.Limits.MaxRequestBodySize = MaxBodySize(configuration);
        });

    public static long MaxBodySize(IConfiguration configuration) =>
        configuration.GetValue("Kestrel:Limits:MaxRequestBodySize", DefaultMaxBodySize);

    public static long AnonymousMaxBodySize(IConfiguration configuration) =>
        Math.Min(configuration.GetValue("RequestLimits:AnonymousMaxBodySize", DefaultAnonymousMaxBodySize), MaxBodySize(configuration));

    /// <summary>After routing (the endpoint decides the limit), before authentication and everything that reads a body.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app, IConfiguration configuration)
    {
        var limit = MaxBodySize(configuration);
        var anonymousLimit = AnonymousMaxBodySize(configuration);
        return app.Use(async (http, next) =>
        {
            var endpoint = http.GetEndpoint();
            var max = endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? anonymousLimit : limit;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = max;
            if (http.Request.ContentLength > max)
            {
                await WriteTooLargeAsync(http, max);
                return;
            }
            var counted = new CountingStream(http.Request.Body, max);
            http.Request.Body = counted;
            try
            {
                await next();
            }
            catch (Exception) when (counted.Exceeded && !http.Response.HasStarted)
            {
                // Whoever read the body failed on the limit (however it wrapped it): the answer is the limit's.
            }
            if (counted.Exceeded && !http.Response.HasStarted)
            {
                http.Response.Clear();
                await WriteTooLargeAsync(http, max);
            }
        });
    }

    private static ValueTask WriteTooLargeAsync(HttpContext http, long max)
    {
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Begäran är för stor",
                Detail = $"Innehållet får vara högst {max} byte.",
                Extensions = { ["code"] = "RequestBodyTooLarge", ["maxBytes"] = max },
            },
        });
    }

    /// <summary>Reads through to the body and fails once more than the limit has been read.</summary>
    private sealed class CountingStream(Stream inner, long max) : Stream
    {
        private long read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int bytes)
        {
            read += bytes;
            if (read > max)
            {
                Exceeded = true;
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }
            return bytes;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
