using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// A browser without a browser: keeps cookies, follows no redirect by itself, reads the antiforgery token and the
/// sign-in's hidden fields from the HTML, and posts forms as a browser does (application/x-www-form-urlencoded).
/// </summary>
public sealed partial class WebClient(SspfApiFactory factory)
{
    public HttpClient Http { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string url)
    {
        var response = await Http.GetAsync(url);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form the way the page at <paramref name="formPage"/> would: with its antiforgery token, unless told not to.</summary>
    public async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(
        string url, IEnumerable<KeyValuePair<string, string?>> fields, string? tokenFrom = null, bool withToken = true)
    {
        var values = fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)).ToList();
        if (withToken)
        {
            var (_, html) = await GetAsync(tokenFrom ?? url);
            values.Add(new("__RequestVerificationToken", Token(html)));
        }
        var response = await Http.PostAsync(url, new FormUrlEncodedContent(values));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a follow-up form from an already rendered page (its token and hidden fields).</summary>
    public async Task<(HttpResponseMessage Response, string Html)> PostFromAsync(string url, string html, params (string Name, string? Value)[] fields)
    {
        List<KeyValuePair<string, string>> values = [new("__RequestVerificationToken", Token(html))];
        values.AddRange(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Name, f.Value!)));
        var response = await Http.PostAsync(url, new FormUrlEncodedContent(values));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Step one of /logga-in: e-mail and password (the demo password, or the own one chosen by an earlier test).</summary>
    public Task<(HttpResponseMessage Response, string Html)> SubmitPasswordAsync(string email, string password = SspfClient.DemoPassword, string? returnUrl = null)
    {
        lock (factory.OwnPasswords) password = factory.OwnPasswords.GetValueOrDefault((email, password), password);
        var url = "/logga-in" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return PostFormAsync(url, [new("Email", email), new("Password", password)], tokenFrom: "/logga-in");
    }

    /// <summary>Both steps of /logga-in with a fresh code of an enrolled user; answers the last response (a redirect on success).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string? returnUrl = null, string? code = null)
    {
        var key = await factory.CreateSspfClient().EnrolAsync(email);
        var (first, html) = await SubmitPasswordAsync(email, returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        if (code is null)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(30)); // a new time step: the last code was used
            code = Code(key);
        }
        var url = "/logga-in" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var (second, _) = await PostFromAsync(url, html, ("Pending", Hidden(html, "Pending")), ("Code", code));
        return second;
    }

    /// <summary>A browser session of <paramref name="email"/>, signed in with both steps and landed on the start page.</summary>
    public static async Task<WebClient> SignedInAsync(SspfApiFactory factory, string email)
    {
        var web = new WebClient(factory);
        (await web.SignInAsync(email)).RedirectsTo("/");
        return web;
    }

    public string Code(string key) =>
        SspfSamordning.Api.Infrastructure.Auth.Totp.Code(SspfSamordning.Api.Infrastructure.Auth.Totp.Base32Decode(key),
            SspfSamordning.Api.Infrastructure.Auth.Totp.TimeStep(factory.Clock.GetUtcNow()));

    public static string Token(string html) =>
        TokenField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    public static string Hidden(string html, string name) =>
        Regex.Match(html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\">") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"No hidden field {name} on the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

public static class WebAssertions
{
    public static void RedirectsTo(this HttpResponseMessage response, string expected)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    /// <summary>A redirect to /logga-in (the cookie handler's challenge is absolute, the pages' own redirects are local).</summary>
    public static void RedirectsToSignIn(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/logga-in", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]);
    }
}
