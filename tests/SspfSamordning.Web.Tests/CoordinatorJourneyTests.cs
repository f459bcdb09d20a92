using System.Globalization;
using Microsoft.Playwright;
using SspfSamordning.Domain;

namespace SspfSamordning.Web.Tests;

/// <summary>
/// Journey 1 of issue 19 (SSPF-samordnare) in a real browser, every page through axe: the tasks, a new case (a refused
/// personnummer first), the team, consent, a meeting booked and one recorded as held, its minutes approved and then
/// read-only and printable, closing with a reason and the timeline; reflow at 320 px. The rules themselves are proven
/// over HTTP (SspfSamordning.Api.Tests/Web/CoordinatorJourneyTests).
/// </summary>
public sealed class CoordinatorJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static ILocator Id(IPage page, string id) => page.Locator($"[id='{id}']");

    private static Task ExpectHeadingAsync(IPage page, string text) =>
        Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(text);

    [Fact]
    public async Task Coordinator_OpensACase_BuildsTheTeam_RunsTheMeeting_AndClosesIt_Accessible()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("samordnare"));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mina uppgifter" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();

        // Nytt ärende: a personnummer the server refuses, the error summary, then the corrected form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Nytt ärende" }).ClickAsync();
        await ExpectHeadingAsync(page, "Nytt ärende");
        await page.AssertNoViolationsAsync();
        // Checked as typed (the script, when the field is left): a wrong check digit is named before anything is sent,
        // and the message goes once the number is right; the server checks again on submit.
        var typed = Id(page, "Youth.personnummer");
        await typed.FillAsync("20100101-1234");
        await page.Keyboard.PressAsync("Tab");
        var asTyped = page.Locator("#Youth\\.personnummer-check");
        await Assertions.Expect(asTyped).ToHaveTextAsync("Ogiltigt personnummer. Kontrollera siffrorna.");
        await Assertions.Expect(typed).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertNoViolationsAsync();
        await typed.FillAsync(Personnummer(DateTimeOffset.UtcNow.AddYears(-14).AddDays(-40)));
        await Assertions.Expect(asTyped).ToBeHiddenAsync();
        await typed.FillAsync("20100101-1234");
        await Id(page, "Youth.givenName").FillAsync("Alva");
        await Id(page, "Youth.familyName").FillAsync("Webbström");
        await page.GetByLabel("Vad gäller signalen?").SelectOptionAsync("SchoolAbsence");
        await Id(page, "Guardians[0].givenName").FillAsync("Maria");
        await Id(page, "Guardians[0].familyName").FillAsync("Webbström");
        await page.GetByLabel("Skolan").CheckAsync();
        await page.GetByLabel("Socialtjänsten").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ogiltigt personnummer.");
        await Assertions.Expect(Id(page, "Youth.givenName")).ToHaveValueAsync("Alva");
        await page.AssertNoViolationsAsync();
        await Id(page, "Youth.personnummer").FillAsync(Personnummer(DateTimeOffset.UtcNow.AddYears(-14).AddDays(-40)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await ExpectHeadingAsync(page, "Ärende ");
        var caseUrl = new Uri(page.Url).AbsolutePath;
        await page.AssertNoViolationsAsync();

        // The team: the school's person joins.
        await page.GetByRole(AriaRole.Link, new() { Name = "Lägg till deltagare" }).ClickAsync();
        await ExpectHeadingAsync(page, "Deltagare i ärende");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till skola" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "skola, Skolan" })).ToBeVisibleAsync();
        await page.GotoAsync(caseUrl);

        // Consent requested: the case waits, and the start page lists the deadline with a link to the case.
        await page.GetByRole(AriaRole.Link, new() { Name = "Begär samtycke" }).ClickAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Begär samtycke" }).ClickAsync();
        await Assertions.Expect(page.Locator("dd", new() { HasText = "Väntar på samtycke" })).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Samtycke saknar svar" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        await page.GotoAsync(caseUrl);

        // A kartläggningsmöte booked ahead (Swedish local date and time).
        var ahead = SwedishCalendar.ToLocal(DateTimeOffset.UtcNow.AddDays(3));
        await page.GetByRole(AriaRole.Link, new() { Name = "Boka möte" }).ClickAsync();
        await ExpectHeadingAsync(page, "Nytt möte");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Datum").FillAsync(ahead.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Tid", new() { Exact = true }).FillAsync("14:30");
        await page.GetByLabel("Plats (valfritt)").FillAsync("Stadshuset");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara mötet" }).ClickAsync();
        await ExpectHeadingAsync(page, "Kartläggningsmöte");
        await Assertions.Expect(page.GetByText("Bokat", new() { Exact = true })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        // webcase: moved to the next day, then cancelled after the confirmation step.
        await page.GetByLabel("Nytt datum").FillAsync(ahead.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Ny tid").FillAsync("09:15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Flytta mötet" }).ClickAsync();
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync(ahead.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 09:15");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ställ in mötet" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vill du ställa in mötet?" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, ställ in mötet" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Inställt", new() { Exact = true })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        // A team member removed after the confirmation step, then added back.
        await page.GotoAsync(caseUrl + "/deltagare");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ta bort skola" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ur ärendeteamet?" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deltagaren är borttagen ur ärendeteamet.");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till skola" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "skola, Skolan" })).ToBeVisibleAsync();

        // One that took place two hours ago, recorded as held with a draft; the minutes edited, then approved.
        var before = SwedishCalendar.ToLocal(DateTimeOffset.UtcNow.AddHours(-2));
        await page.GotoAsync(caseUrl + "/moten/nytt");
        await page.GetByLabel("Datum").FillAsync(before.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Tid", new() { Exact = true }).FillAsync(before.ToString("HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Mötet har redan hållits").CheckAsync();
        await page.GetByLabel("Ungdomen deltog").CheckAsync();
        await page.GetByLabel("Protokollsutkast (valfritt)").FillAsync("Utkast");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara mötet" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Hållet, protokollet är ett utkast")).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Protokollsutkast").FillAsync("Alva och Maria deltog. Skolan följer upp närvaron.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara protokollet" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Godkänn protokollet" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("Protokollet är godkänt", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Spara protokollet" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Skolan följer upp närvaron.")).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        // The print view: the minutes without the header and forms.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" })).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByText("Skolan följer upp närvaron.")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // Closed with a reason; the timeline shows it; the page reflows at 320 px.
        await page.GotoAsync(caseUrl);
        await page.GetByRole(AriaRole.Link, new() { Name = "Avsluta ärendet" }).ClickAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Varför avslutas ärendet?").SelectOptionAsync("GoalsReached");
        await page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Avslutat: Målen är uppnådda")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Händelser" })).ToBeVisibleAsync();
        await page.AssertNoViolationsAsync();
        await page.SetViewportSizeAsync(320, 800);
        await page.AssertNoHorizontalScrollAsync();
    }

    /// <summary>A valid personnummer (Luhn check digit) for someone born on <paramref name="born"/>.</summary>
    private static string Personnummer(DateTimeOffset born)
    {
        var digits = born.ToString("yyMMdd", CultureInfo.InvariantCulture) + "238";
        var sum = digits.Select((c, i) => (c - '0') * (i % 2 == 0 ? 2 : 1)).Sum(p => p / 10 + p % 10);
        return born.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-238" + (10 - sum % 10) % 10;
    }
}
