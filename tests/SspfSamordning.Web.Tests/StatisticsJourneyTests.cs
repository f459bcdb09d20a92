using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>The statistics page (/statistik) in a real browser: keyboard only, every state through axe, and at 320 px.</summary>
public sealed class StatisticsJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Analyst_AsksForAPeriod_CorrectsAnError_ReadsChartsAndTables_KeyboardOnly_Accessible_At320px()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("analytiker"));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen");

        await page.GetByRole(AriaRole.Link, new() { Name = "Statistik" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Statistik för medborgarlöftet");
        await page.AssertNoViolationsAsync();

        // A period cut inside a month: the error summary (focused) links to the field, which keeps what was typed.
        var from = page.GetByLabel("Från och med");
        await from.FillAsync("2026-03-10");
        await page.GetByLabel("Till och med").FillAsync("2026-12-31");
        await from.PressAsync("Enter");
        var summary = page.Locator(".error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("första dagen i en månad");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(from).ToHaveValueAsync("2026-03-10");
        await Assertions.Expect(from).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("svg.chart")).ToHaveCountAsync(0);
        await page.AssertNoViolationsAsync();
        await page.Keyboard.PressAsync("Tab"); // from the summary to its link to the field
        await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToBeFocusedAsync();

        await from.FillAsync("2026-01-01");
        await page.GetByLabel("Uppdelning").SelectOptionAsync("quarter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa statistik" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".error-summary")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 3, Name = "Öppnade ärenden" }).First).ToBeVisibleAsync();
        Assert.True(await page.Locator("svg.chart").CountAsync() >= 5);
        Assert.Equal(await page.Locator("svg.chart").CountAsync(), await page.Locator(".statistics-table table").CountAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "CSV för Excel" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("Format=csv$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "JSON" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("Breakdown=quarter&Format=json$"));
        await page.AssertNoViolationsAsync();
        await Screenshots.TakeAsync(page, "statistics");

        await page.SetViewportSizeAsync(320, 800);
        await page.AssertNoHorizontalScrollAsync();
        await page.AssertNoViolationsAsync();
    }
}
