using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>The sign-in in a real browser: keyboard and mouse, error summary, reflow, and axe on every page visited.</summary>
public sealed class SignInJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SignIn_WithErrors_ThenSuccess_ThenSignOut_EveryPageAccessible()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/");
        Assert.EndsWith("/logga-in?returnUrl=%2F", page.Url);
        Assert.Equal(200, response!.Status);
        Assert.Equal("sv", await page.GetAttributeAsync("html", "lang"));
        await page.AssertNoViolationsAsync();
        await Screenshots.TakeAsync(page, "logga-in");

        // Nothing filled in: the error summary gets focus and links to the field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        var summary = page.Locator("[data-error-summary]");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary).ToContainTextAsync("Ange din e-postadress.");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ange din e-postadress." }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("E-postadress")).ToBeFocusedAsync();

        // Wrong password: the e-mail stays, the password does not.
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("samordnare"));
        await page.GetByLabel("Lösenord").FillAsync("fel-losenord-123");
        await page.GetByLabel("Lösenord").PressAsync("Enter");
        await Assertions.Expect(summary).ToContainTextAsync("Fel e-postadress eller lösenord");
        Assert.Equal(BrowserApp.Demo("samordnare"), await page.GetByLabel("E-postadress").InputValueAsync());
        Assert.Equal("", await page.GetByLabel("Lösenord").InputValueAsync());
        await Screenshots.TakeAsync(page, "logga-in-fel");

        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen, samordnare");
        await Assertions.Expect(page.Locator(".site-header")).ToContainTextAsync("Samordnare");
        await page.AssertNoViolationsAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Du är utloggad.");
        await page.AssertNoViolationsAsync();
        await page.GotoAsync("/");
        Assert.Contains("/logga-in", page.Url);
    }

    [Fact]
    public async Task TheProvidersSignInLink_AndTheSignOutsInBetweenPage_AreAccessible()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Logga in med Falkenbergs kommuns inloggning" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();

        // The page between the local sign-out and the provider's end-session endpoint: it goes on by its Refresh header,
        // which is held back here so that the page itself can be checked (a browser without the header uses the link).
        await page.Context.AddCookiesAsync([new Cookie
        {
            Name = SspfSamordning.Api.Features.Auth.FederatedSignOut.PendingCookie,
            Value = app.PendingProviderSignOut("falkenberg"),
            Url = app.BaseUrl,
        }]);
        string? refresh = null;
        await page.RouteAsync("**/logga-in/extern/utloggning", async route =>
        {
            var response = await route.FetchAsync();
            refresh = response.Headers.GetValueOrDefault("refresh");
            await route.FulfillAsync(new()
            {
                Response = response,
                Headers = response.Headers.Where(h => h.Key != "refresh").ToDictionary(h => h.Key, h => h.Value),
            });
        });
        await page.GotoAsync("/logga-in/extern/utloggning");
        Assert.Equal("0;url=/logga-in/extern/utloggning?handler=Vidare", refresh);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Du är utloggad");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Fortsätt till utloggningen hos Falkenbergs kommuns inloggning" }))
            .ToHaveAttributeAsync("href", "/logga-in/extern/utloggning?handler=Vidare");
        await page.AssertNoViolationsAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
    }

    [Fact]
    public async Task SkipLink_IsTheFirstTabStop_AndVisibleWhenFocused()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Hoppa till innehållet" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        var box = await skip.BoundingBoxAsync();
        Assert.True(box is { X: >= 0, Y: >= 0 }, "the focused skip link is off screen");
    }

    [Theory]
    [InlineData("/logga-in")]
    [InlineData("/finns-inte")]
    public async Task Pages_ReflowAt320Px_AndStayAccessible(string url)
    {
        var page = await app.NewPageAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.GotoAsync(url);
        await page.AssertNoHorizontalScrollAsync();
        await page.AssertNoViolationsAsync();
    }

    [Fact]
    public async Task NotFound_IsSwedish_AndAccessible()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/finns-inte/alls");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sidan finns inte eller så saknar du behörighet");
        await page.AssertNoViolationsAsync();
    }
}
