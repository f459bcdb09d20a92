using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SspfSamordning.Domain;

namespace SspfSamordning.Web.Tests;

/// <summary>
/// Journeys 2 (Socialsekreterare) and 4 (Skola / fritid) of issue 19 in a real browser, every page visited through axe.
/// What other roles do first (open the case, request consent, file the orosanmälan, propose the insats) is done through
/// the API, as their own pages are other journeys.
/// </summary>
public sealed class SocialJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SocialWorker_WorksAnOrosanmalan_RecordsConsentByAge_AndTheBistandDecision()
    {
        var coordinator = await ApiAsync("samordnare");
        var socialId = await UserIdAsync("socialsekreterare");
        var caseId = await OpenCaseAsync(coordinator, age: 16, family: "Socialsson", serial: 611, ["socialsekreterare"]);
        (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { parties = new[] { "Skola", "Socialtjanst", "Polis" }, categories = new[] { "Basic", "School", "SocialServicesSspfNotes" } })).EnsureSuccessStatusCode();
        var school = await ApiAsync("skola");
        (await school.PostAsJsonAsync("/api/concern-reports", new
        {
            municipalityId = await MunicipalityIdAsync(school), content = "Eleven har inte varit i skolan på tre veckor och säger att det är bråk hemma.",
            concernsViolenceAgainstChild = false, youthName = "Kim Socialsson",
        })).EnsureSuccessStatusCode();

        var page = await SignInAsync("socialsekreterare");

        // The queue: newest first; the report's statutory deadlines as dates and days left; its first step.
        await page.GetByRole(AriaRole.Link, new() { Name = "Orosanmälningar" }).ClickAsync();
        await ExpectHeadingAsync(page, "Orosanmälningar");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Row, new() { Name = "Kim Socialsson" }).GetByRole(AriaRole.Link).ClickAsync();
        await ExpectHeadingAsync(page, "Orosanmälan");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Skyddsbedömning" })).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d{4}-\d{2}-\d{2}"));
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Gör skyddsbedömning").CheckAsync();
        await page.GetByLabel("Skyddsbedömning", new() { Exact = true }).FillAsync("Inget akut skyddsbehov, barnet bor hos mormor.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        // Forgot whether immediate protection is needed: the error summary, the typed text kept.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ange om barnet behöver omedelbart skydd.");
        await Assertions.Expect(page.GetByLabel("Skyddsbedömning", new() { Exact = true })).ToHaveValueAsync("Inget akut skyddsbehov, barnet bor hos mormor.");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Behöver barnet omedelbart skydd?" }).GetByLabel("Nej").CheckAsync();
        await page.GetByLabel("Gör skyddsbedömning").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Steget är registrerat.");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Förhandsbedömning" })).ToContainTextAsync("dagar kvar");

        // The case's consent: the youth is 16, so both guardians and the youth sign; valid only when all three have.
        await page.GotoAsync($"/arenden/{caseId}");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Samtycke begärt" }).ClickAsync();
        await ExpectHeadingAsync(page, "Samtycke");
        await Assertions.Expect(page.Locator("#age-rule")).ToHaveTextAsync("Ungdomen är 15–17 år: både ungdomen och vårdnadshavarna med vårdnad ska samtycka.");
        await page.AssertNoViolationsAsync();
        var answer = Form(page, "Registrera svaret");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Registrera svaret" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ange vem som undertecknar");
        await page.AssertNoViolationsAsync();
        foreach (var signer in new[] { "Vårdnadshavare Anna Socialsson", "Vårdnadshavare Per Socialsson", "Ungdomen" })
        {
            await Assertions.Expect(page.Locator("#consent-valid")).ToContainTextAsync("inte giltigt");
            answer = Form(page, "Registrera svaret");
            await answer.GetByLabel(signer, new() { Exact = true }).CheckAsync();
            await answer.GetByLabel("Samtycker", new() { Exact = true }).CheckAsync();
            await answer.GetByLabel("Skriftligt", new() { Exact = true }).CheckAsync();
            await answer.GetByLabel("Dokumentreferens (skriftligt svar)").FillAsync("SOC-BLANKETT-7");
            await answer.GetByLabel("Dokumentreferens (skriftligt svar)").PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Svaret är registrerat.");
        }
        await Assertions.Expect(page.Locator("#consent-valid")).ToHaveTextAsync("Samtycket är giltigt: alla som ska samtycka har gett sitt samtycke.");
        await page.AssertNoViolationsAsync();

        // The guardian takes the police out of the scope.
        var narrow = Form(page, "Spara den nya omfattningen");
        await narrow.GetByLabel("Vårdnadshavare Anna Socialsson").CheckAsync();
        await narrow.GetByLabel("Polisen", new() { Exact = true }).UncheckAsync();
        await narrow.GetByRole(AriaRole.Button, new() { Name = "Spara den nya omfattningen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Samtyckets omfattning är ändrad.");
        await Assertions.Expect(page.Locator(".summary-list")).Not.ToContainTextAsync("Polisen");
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
        await page.SetViewportSizeAsync(1024, 768);

        // The samordnare proposes a bistånd insats owned by socialtjänst; the socialsekreterare records the decision and plans it.
        (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/interventions",
            new { type = "ParentingSupport", ownerParty = "Socialtjanst", responsibleUserId = socialId, goal = "Föräldrastöd varje vecka", isBistand = true }))
            .EnsureSuccessStatusCode();
        await page.GotoAsync($"/arenden/{caseId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Insatser i ärendet" }).ClickAsync();
        await ExpectHeadingAsync(page, "Insatser i ärende");
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Föräldrastöd" }).ClickAsync();
        await page.GetByLabel("Referens till biståndsbeslutet").FillAsync("SOC-2026-1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara beslutsreferensen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ändringen är sparad.");
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("SOC-2026-1234");
        await page.GetByLabel("Planera", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("Planerad");
        await page.AssertNoViolationsAsync();

        // webbench: any member files an orosanmälan from the case (the API's FileConcernReport); an empty form is refused
        // with the messages by the fields, then the report is filed, linked to the case, and its deadlines are in the queue.
        await page.GotoAsync($"/arenden/{caseId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Gör en orosanmälan om ungdomen" }).ClickAsync();
        await ExpectHeadingAsync(page, "Gör en orosanmälan");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Barnets namn (om du vet)").FillAsync("Kim Socialsson");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka anmälan" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Anmälan saknar innehåll.");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ange om anmälan gäller våld mot barnet.");
        await Assertions.Expect(page.GetByLabel("Barnets namn (om du vet)")).ToHaveValueAsync("Kim Socialsson");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Vad är du orolig för?").FillAsync("Mamman berättar att Kim inte sover hemma flera nätter i veckan.");
        await page.GetByRole(AriaRole.Group, new() { Name = "Gäller anmälan våld mot barnet?" }).GetByLabel("Nej").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka anmälan" }).ClickAsync();
        await ExpectHeadingAsync(page, "Orosanmälan");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Skyddsbedömning" }))
            .ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"i dag|\d+ dag(ar)? kvar"));
        await page.GotoAsync("/orosanmalningar");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Kim Socialsson" }).First).ToContainTextAsync("Skyddsbedömning: senast");
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
        await page.AssertNoViolationsAsync();
        await page.SetViewportSizeAsync(1024, 768);
    }

    [Fact]
    public async Task School_SeesBasicAndOwnCategoryOnly_AndRecordsItsInsatsAndItsAssessment()
    {
        var coordinator = await ApiAsync("samordnare");
        var schoolId = await UserIdAsync("skola");
        var caseId = await OpenCaseAsync(coordinator, age: 13, family: "Skolsson", serial: 612, ["skola", "socialsekreterare"]);
        var consent = await (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { parties = new[] { "Skola", "Socialtjanst" }, categories = new[] { "Basic", "School" } })).Content.ReadFromJsonAsync<JsonElement>();
        var consentId = consent.GetProperty("id").GetGuid();
        var detail = await coordinator.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        foreach (var guardian in detail.GetProperty("guardians").EnumerateArray())
            (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/consents/{consentId}/answers", new
            {
                signatory = "Guardian", guardianId = guardian.GetProperty("id").GetGuid(), given = true, form = "Written",
                documentRef = "SKOLA-1", obtainedBy = "Skola",
            })).EnsureSuccessStatusCode();
        (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/interventions",
            new { type = "SchoolSupport", ownerParty = "Skola", responsibleUserId = schoolId, goal = "Närvaro över 90 procent" })).EnsureSuccessStatusCode();
        // The network meeting that adopted the action plan (the samordnare's journey): it schedules the first follow-up.
        var meeting = await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/meetings", new
        {
            kind = "Network", startsAt = DateTimeOffset.UtcNow.AddHours(-2), location = "Skolan",
            held = new { attendeeUserIds = Array.Empty<Guid>(), youthAttended = true, attendingGuardianIds = Array.Empty<Guid>(), draftMinutes = "Utkast" },
        });
        meeting.EnsureSuccessStatusCode();
        (await coordinator.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new
        {
            meetingId = (await meeting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), goals = "Gå i skolan varje dag.",
        })).EnsureSuccessStatusCode();

        var page = await SignInAsync("skola");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ärenden" }).ClickAsync();
        await page.GetByRole(AriaRole.Row, new() { Name = "Skolsson" }).GetByRole(AriaRole.Link).ClickAsync();
        // Basic data and the school's own category; not socialtjänst's notes, no consent page (the school records no consent).
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Grunduppgifter");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Skolans uppgifter");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Socialtjänstens SSPF-anteckningar");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Samtycke begärt" })).ToHaveCountAsync(0);
        await page.AssertNoViolationsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Insatser i ärendet" }).ClickAsync();
        await page.AssertNoViolationsAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Stöd i skolan" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ExpectHeadingAsync(page, "Insats: Stöd i skolan");
        foreach (var (step, state) in new[] { ("Planera", "Planerad"), ("Starta", "Pågår") })
        {
            await page.GetByLabel(step, new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
            await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync(state);
        }
        // Completing without an outcome: the API's message, the typed assessment kept; then with it.
        await page.GetByLabel("Avsluta", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Bedömning av insatsen (när den avslutas)").FillAsync("Närvaron är nu 94 procent.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ange insatsens utfall");
        await Assertions.Expect(page.GetByLabel("Bedömning av insatsen (när den avslutas)")).ToHaveValueAsync("Närvaron är nu 94 procent.");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Avsluta", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Målet uppnått").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Assertions.Expect(page.Locator(".summary-list")).ToContainTextAsync("Målet uppnått: Närvaron är nu 94 procent.");
        await page.SetViewportSizeAsync(320, 640);
        await page.AssertNoHorizontalScrollAsync();
        await page.AssertNoViolationsAsync();

        // Decision 11: the school records its assessment of the insats at the follow-up, from the case page's "Uppföljningar".
        await page.GotoAsync($"/arenden/{caseId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Uppföljning" }).ClickAsync();
        await ExpectHeadingAsync(page, "Uppföljning");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Bedömning av insatsen").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bedömningen av insatsen är tom.");
        await page.AssertNoViolationsAsync();
        await page.GetByLabel("Bedömning av insatsen").FillAsync("Målet nått: närvaron är 94 procent.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Bedömningen är sparad.");
        await Assertions.Expect(page.GetByLabel("Bedömning av insatsen")).ToHaveValueAsync("Målet nått: närvaron är 94 procent.");
        await page.AssertNoHorizontalScrollAsync();
        await page.AssertNoViolationsAsync();

        // Decision 9/11: the samordnare completes the follow-up on the same page — a planned insats still needs its
        // assessment (the domain's message by its field), then with it and the overall assessment.
        var mentor = await (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/interventions",
            new { type = "Mentor", ownerParty = "Skola", responsibleUserId = schoolId, goal = "En vuxen att prata med" })).Content.ReadFromJsonAsync<JsonElement>();
        (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/interventions/{mentor.GetProperty("id").GetGuid()}/transitions",
            new { trigger = "Plan" })).EnsureSuccessStatusCode();
        var followUpUrl = page.Url;
        var samordnare = await SignInAsync("samordnare");
        await samordnare.GotoAsync(followUpUrl);
        await Assertions.Expect(samordnare.GetByRole(AriaRole.Heading, new() { Name = "Genomför uppföljningen" })).ToBeVisibleAsync();
        await samordnare.GetByLabel("Bedömning av ärendet som helhet").FillAsync("Närvaron har ökat.");
        await samordnare.GetByRole(AriaRole.Button, new() { Name = "Genomför uppföljningen" }).ClickAsync();
        await Assertions.Expect(samordnare.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bedömning av insatsen saknas.");
        await Assertions.Expect(samordnare.GetByLabel("Bedömning av ärendet som helhet")).ToHaveValueAsync("Närvaron har ökat.");
        await samordnare.AssertNoViolationsAsync();
        await samordnare.GetByLabel("Bedömning av Mentor", new() { Exact = false }).FillAsync("Träffas varje vecka.");
        await samordnare.GetByRole(AriaRole.Button, new() { Name = "Genomför uppföljningen" }).ClickAsync();
        await Assertions.Expect(samordnare.GetByRole(AriaRole.Status)).ToContainTextAsync("Uppföljningen är genomförd.");
        await Assertions.Expect(samordnare.Locator(".summary-list")).ToContainTextAsync("Närvaron har ökat.");
        await samordnare.SetViewportSizeAsync(320, 640);
        await samordnare.AssertNoHorizontalScrollAsync();
        await samordnare.AssertNoViolationsAsync();
    }

    private static ILocator Form(IPage page, string button) =>
        page.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = button }) });

    private static Task ExpectHeadingAsync(IPage page, string text) =>
        Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(text);

    private async Task<IPage> SignInAsync(string name)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo(name));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await ExpectHeadingAsync(page, "Välkommen");
        await page.AssertNoViolationsAsync();
        return page;
    }

    /// <summary>The API as a demo user (password only: the harness relaxes the second factor).</summary>
    private async Task<HttpClient> ApiAsync(string name)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        // The Development password grant of the OpenID Connect server (the only issuer of tokens).
        var login = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "sspf-dev", ["scope"] = "sspf_api",
            ["username"] = BrowserApp.Demo(name), ["password"] = BrowserApp.DemoPassword,
        }));
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<Guid> UserIdAsync(string name) =>
        (await (await ApiAsync(name)).GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid();

    private static async Task<Guid> MunicipalityIdAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("municipalities")[0].GetProperty("id").GetGuid();

    /// <summary>Opens a case for a youth of <paramref name="age"/> with two guardians with custody, and adds the members.</summary>
    private async Task<Guid> OpenCaseAsync(HttpClient coordinator, int age, string family, int serial, string[] members)
    {
        var birth = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-age).AddDays(-60);
        var opened = await coordinator.PostAsJsonAsync("/api/cases", new
        {
            municipalityId = await MunicipalityIdAsync(coordinator),
            youth = new { personnummer = Personnummer.Fictitious(birth, serial), givenName = "Kim", familyName = family, school = "Demoskolan", address = "Påhittade gatan 1" },
            guardians = new[]
            {
                new { givenName = "Anna", familyName = family, hasCustody = true, phone = "070-0000001", email = "anna@example.se" },
                new { givenName = "Per", familyName = family, hasCustody = true, phone = "070-0000002", email = "per@example.se" },
            },
            signalCategory = "SchoolAbsence",
            proposedParties = new[] { "Skola", "Socialtjanst", "Polis" },
        });
        opened.EnsureSuccessStatusCode();
        var caseId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var member in members)
            (await coordinator.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = await UserIdAsync(member) })).EnsureSuccessStatusCode();
        return caseId;
    }
}
