using System.Net;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Interventions;

/// <summary>Assertions on answers that the intervention, follow-up and disclosure tests share.</summary>
public static class Expect
{
    /// <summary>Every GET of <paramref name="urls"/> by <paramref name="client"/> answers <paramref name="status"/>.</summary>
    public static async Task GetAsync(SspfClient client, HttpStatusCode status, params string[] urls)
    {
        foreach (var url in urls) await (await client.Http.GetAsync(url)).EnsureStatusAsync(status);
    }

    /// <summary>A 400 whose ProblemDetails names <paramref name="field"/>.</summary>
    public static async Task FieldErrorAsync(HttpResponseMessage response, string field)
    {
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }
}
