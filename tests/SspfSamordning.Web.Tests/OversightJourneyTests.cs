using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>Journeys 5 (Granskare: loggkontroll) and 6 (Administratör) of issue 19 in a real browser, every page through axe.</summary>
public sealed class OversightJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static async Task SignInAsync(IPage page, string name)
    {
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo(name));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen");
    }

    /// <summary>A fresh tab; these journeys post many forms, so each step may wait longer on a loaded CI machine.</summary>
    private async Task<IPage> NewPageAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await app.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    [Fact]
    public async Task Granskare_ReviewsTheLog_FiltersWithAMistake_VerifiesIt_AndReadsBothReports()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "granskare");
        await page.GetByRole(AriaRole.Link, new() { Name = "Loggkontroll", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Loggkontroll");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Inloggning"); // the sign-ins so far
        await page.AssertNoViolationsAsync();

        // A date in the wrong form and a period that ends before it starts: the summary links to the fields, the text stays.
        await page.GetByLabel("Från och med").FillAsync("2026-12-05");
        await page.GetByLabel("Till och med").FillAsync("4 december");
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa händelser" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ange datumet som ÅÅÅÅ-MM-DD");
        await Assertions.Expect(page.GetByLabel("Till och med")).ToHaveValueAsync("4 december");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Till och med").FillAsync("2026-12-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa händelser" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("kan inte vara före");
        await page.GetByLabel("Från och med").FillAsync("");
        await page.GetByLabel("Till och med").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa händelser" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Verifiera loggen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Loggen är obruten.");
        await page.AssertNoViolationsAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
        await page.SetViewportSizeAsync(1024, 768);

        await page.GetByRole(AriaRole.Link, new() { Name = "Åtkomst utanför teamet" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Åtkomst utanför teamet");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ovanligt många läsningar" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Ovanligt många läsningar");
        await Assertions.Expect(page.GetByText("Ingen användare avviker under perioden.")).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();

        // The authenticator enrolment page draws the new key as a QR code beside the text.
        await page.GotoAsync("/tvastegsverifiering");
        await page.GetByLabel("Nuvarande lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR-kod med nyckeln för autentiseringsappen" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nyckel")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-7]{16,}$"));
        await page.AssertNoViolationsAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
    }

    [Fact]
    public async Task Administrator_CreatesAnAccount_ASecondAdministratorApprovesItsRole_AndDisablesIt()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Administration");
        await Assertions.Expect(page.Locator("#paminnelsekon")).ToContainTextAsync("Förfallna påminnelser");
        await page.AssertNoViolationsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Skapa konto" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Skapa konto");
        await page.GetByLabel("Namn", new() { Exact = true }).FillAsync("Resa Resesson");
        await page.GetByLabel("E-postadress").FillAsync("resa.resesson");
        await page.GetByLabel("Fritid", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa konto" }).ClickAsync();
        var summary = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(summary).ToContainTextAsync("Ange en giltig e-postadress.");
        await Assertions.Expect(summary).ToContainTextAsync("Ange en enhet i dina kommuner.");
        await Assertions.Expect(page.GetByLabel("Namn", new() { Exact = true })).ToHaveValueAsync("Resa Resesson");
        await Assertions.Expect(page.GetByLabel("Fritid", new() { Exact = true })).ToBeCheckedAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("E-postadress").FillAsync("resa.resesson@falkenberg.example");
        await page.GetByLabel("Enhet").SelectOptionAsync(new SelectOptionValue { Label = "Fritid Falkenberg (Falkenberg)" });
        await page.GetByLabel("Startlösenord").FillAsync("Ett-startlosenord-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa konto" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Resa Resesson");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("väntar på att en annan administratör");
        await page.AssertNoViolationsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Tillbaka till administrationen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Dra tillbaka rollerna för Resa Resesson" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Godkänn rollerna för Resa Resesson" })).ToHaveCountAsync(0);
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
        await page.SetViewportSizeAsync(1024, 768);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();

        await SignInAsync(page, "admin2");
        await page.GotoAsync("/administration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Godkänn rollerna för Resa Resesson" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rolländringen är godkänd.");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Resa Resesson" }).ClickAsync();
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("Fritid");
        // The identifiers the municipality's identity provider names the account by: too long first (the API's message
        // by the field, what was typed kept), then saved.
        var hsaId = $"SE2321000131-P{Guid.NewGuid():N}"[..30];
        await page.GetByLabel("HSA-id", new() { Exact = true }).FillAsync(hsaId);
        await page.GetByLabel("Anställningsnummer").FillAsync(new string('7', 65));
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara identiteter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Högst 64 tecken.");
        await Assertions.Expect(page.GetByLabel("HSA-id", new() { Exact = true })).ToHaveValueAsync(hsaId);
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Anställningsnummer").FillAsync("F-1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara identiteter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Identiteterna för inloggning");
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync(hsaId);
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("F-1234");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stäng av kontot" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kontot är avstängt.");
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("Avstängt");
        await page.AssertNoViolationsAsync();
        await Screenshots.TakeAsync(page, "administration-konto");
    }
}
