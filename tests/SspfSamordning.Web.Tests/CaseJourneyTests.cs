using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>The case pages in a real browser, every page through axe.</summary>
public sealed class CaseJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Police_FromTheStartPage_ToTheCaseList_KeyboardOnly_Accessible()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("polis"));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen, polis");
        await page.AssertNoViolationsAsync();
        await Screenshots.TakeAsync(page, "start");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ärenden" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ärenden");
        await page.AssertNoViolationsAsync();

        // A case the police may not see: the same 404 page as any other address.
        var response = await page.GotoAsync($"/arenden/{Guid.NewGuid()}");
        Assert.Equal(404, response!.Status);
        await page.AssertNoViolationsAsync();

        // The device flow's code entry (/enhet), empty and then with a code no device asked for: the Swedish error by
        // the field and in the summary.
        await page.GotoAsync("/enhet");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Koppla en enhet");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Kod från enheten").FillAsync("ABCD-EFGH");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".field-error")).ToContainTextAsync("Koden är fel eller har gått ut");
        await page.AssertNoViolationsAsync();

        // A command-line tool asks twice: the question (approve or deny, with the code to compare), then each answer.
        await app.RegisterDeviceClientAsync("kommandorad-webb");
        foreach (var (button, answer) in new[] { ("Godkänn", "Enheten är godkänd."), ("Neka", "Du nekade enheten.") })
        {
            using var device = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
            var asked = await device.PostAsync("/connect/device", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = "kommandorad-webb", ["scope"] = "sspf_api",
            }), TestContext.Current.CancellationToken);
            Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var userCode = System.Text.Json.JsonDocument.Parse(await asked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
                .RootElement.GetProperty("user_code").GetString()!;
            await page.GotoAsync("/enhet");
            await page.GetByLabel("Kod från enheten").FillAsync(userCode);
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("#kod")).ToHaveTextAsync(userCode);
            await page.AssertNoViolationsAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(answer);
            await page.AssertNoViolationsAsync();
        }
    }

    [Fact]
    public async Task Auditor_IsRefusedTheCasePages_WithTheSwedish403()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("granskare"));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen");
        var response = await page.GotoAsync("/arenden");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Du saknar behörighet");
        await page.AssertNoViolationsAsync();
    }
}
