using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>
/// The real app on real Kestrel (a free loopback port), in Development on a SQLite file of its own with the demo data,
/// and Debian's chromium driven by Playwright. The browser is launched by executable path: Playwright never downloads
/// one (PlaywrightSkipInstallBrowsers, and no install call anywhere).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DemoPassword = "Sspf-demo-2026!";
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"];

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("sspf-web-test-").FullName;
    private readonly string userDataDirectory = Directory.CreateTempSubdirectory("sspf-chromium-").FullName;
    private AppFactory? app;
    private IPlaywright? playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowserContext Browser { get; private set; } = null!;

    public static string Demo(string name) => $"{name}@falkenberg.example";

    public async ValueTask InitializeAsync()
    {
        app = new AppFactory(dataDirectory);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (.ci/run does).");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchPersistentContextAsync(userDataDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ChromiumArgs,
            Headless = true,
            BaseURL = BaseUrl,
            Locale = "sv-SE",
            TimezoneId = "Europe/Stockholm",
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
        });
    }

    /// <summary>Registers an OAuth client as the operator does (<c>--register-client</c>); fails if the registration is refused.</summary>
    public Task RegisterClientAsync(string clientId, string redirectUri) => RegisterAsync(clientId, "--redirect-uri", redirectUri);

    /// <summary>Registers a command-line tool (<c>--register-client ID --device</c>): the device flow, approved at /enhet.</summary>
    public Task RegisterDeviceClientAsync(string clientId) => RegisterAsync(clientId, "--device");

    private async Task RegisterAsync(string clientId, params string[] options)
    {
        var error = new StringWriter();
        var exit = await SspfSamordning.Api.Features.Admin.RegisterClient.RunAsync(app!.Services,
            [SspfSamordning.Api.Features.Admin.RegisterClient.Flag, clientId, .. options], TextWriter.Null, error);
        if (exit != 0) throw new InvalidOperationException($"Registering {clientId} failed: {error}");
    }

    /// <summary>The cookie a sign-out through the municipality's provider leaves between /logga-ut and the provider (made by the app's own code).</summary>
    public string PendingProviderSignOut(string provider) =>
        SspfSamordning.Api.Features.Auth.FederatedSignOut.PendingValue(app!.Services, provider, "id-token-hint");

    /// <summary>A fresh tab without a session (cookies of earlier tests removed).</summary>
    public async Task<IPage> NewPageAsync()
    {
        await Browser.ClearCookiesAsync();
        var page = await Browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (app is not null) await app.DisposeAsync();
        foreach (var directory in new[] { dataDirectory, userDataDirectory })
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } // chromium may still be letting go
    }

    private sealed class AppFactory(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Sspf", $"Data Source={Path.Combine(dataDirectory, "sspf.db")};Pooling=False");
            builder.UseSetting("Database:DataDirectory", dataDirectory);
            // The browser journeys sign in with the password; the second factor's pages and checks are tested over HTTP
            // (SspfSamordning.Api.Tests/Web), where the test clock makes codes deterministic.
            builder.UseSetting("Auth:RelaxTwoFactor", "true");
            builder.UseSetting("Encryption:BlindIndexIterations", "10000");
            builder.UseSetting("Scheduler:Enabled", "false");
            builder.UseSetting("Demo:Cases", "false"); // each journey builds its own case
            builder.UseSetting("RateLimiting:AuthPermitLimit", "100000");
            builder.UseSetting("RateLimiting:AccountPermitLimit", "100000");
            // The municipality's identity provider, so that its pages render (sign-in link, the sign-out's in-between page).
            // Nothing listens at the issuer: no journey signs in through it (that is tested over HTTP with a real provider,
            // SspfSamordning.Api.Tests/Auth/FederatedSignInTests).
            builder.UseSetting("Federation:Providers:falkenberg:Municipality", "1382");
            builder.UseSetting("Federation:Providers:falkenberg:DisplayName", "Falkenbergs kommuns inloggning");
            builder.UseSetting("Federation:Providers:falkenberg:Issuer", "http://127.0.0.1:9/");
            builder.UseSetting("Federation:Providers:falkenberg:ClientId", "sspf-browser-tests");
        }
    }
}

/// <summary>The accessibility check every visited page passes: axe-core with the WCAG 2.1 A and AA rule tags, zero violations.</summary>
public static class Accessibility
{
    private static readonly List<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public static async Task AssertNoViolationsAsync(this IPage page)
    {
        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = Tags },
        });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => string.Join(" ", n.Target?.ToString())))}").ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} WCAG 2.1 A/AA violations on {page.Url}:\n{string.Join("\n", violations)}");
    }

    /// <summary>Nothing scrolls sideways at this width (WCAG 1.4.10 reflow: 320 CSS px, what 1280 px at 400 % gives).</summary>
    public static async Task AssertNoHorizontalScrollAsync(this IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls {overflow} px sideways at {page.ViewportSize?.Width} px");
    }
}

/// <summary>Screenshots for the README: written to docs/images only when SSPF_UPDATE_SCREENSHOTS=1, so a test run leaves the tree clean.</summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("SSPF_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "images")
            : Path.Combine(Path.GetTempPath(), "sspf-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SspfSamordning.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("SspfSamordning.sln not found above the test binaries.");
    }
}
