using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Meetings;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// Journey 1 of issue 19 (SSPF-samordnare) through the pages over HTTP with the cookie: every page calls the API's use
/// case, so each rule is refused here exactly as the API refuses it — a foreign meeting id, another municipality's case,
/// a tampered hidden field or option, a person who may not join the team, a role that may not change the case.
/// </summary>
public sealed class CoordinatorJourneyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private Task<WebClient> SignedInAsync(string name = "samordnare") => WebClient.SignedInAsync(factory, SspfClient.Demo(name));

    [Fact]
    public async Task AListPageNumberOutOfRange_ShowsTheFirstPage_NotTheErrorPage()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var web = await SignedInAsync();
        foreach (var page in new[] { "0", "-3", "2000000" })
        {
            var (response, html) = await web.GetAsync($"/arenden?sida={page}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"/arenden/{caseId}", html);
        }
        var social = await WebClient.SignedInAsync(factory, SspfClient.Demo("socialsekreterare"));
        Assert.Equal(HttpStatusCode.OK, (await social.GetAsync("/orosanmalningar?sida=2000000")).Response.StatusCode);
    }

    private static List<(string, string?)> NewCaseForm(string personnummer, Guid municipalityId) =>
    [
        ("MunicipalityId", municipalityId.ToString()),
        ("Youth.personnummer", personnummer), ("Youth.givenName", "Kim"), ("Youth.familyName", "Webbsson"),
        ("SignalCategory", "SchoolAbsence"),
        ("Guardians[0].givenName", "Anna"), ("Guardians[0].familyName", "Webbsson"), ("Guardians[0].HasCustody", "true"),
        ("Guardians[1].givenName", ""), ("Guardians[1].familyName", ""),
        ("ProposedParties", "Skola"), ("ProposedParties", "Socialtjanst"),
    ];

    [Fact]
    public async Task NewCase_PersonnummerCheckedOnTheServer_TamperedMunicipalityRefused_AndAnOpenCaseReportedWithALink()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var municipalityId = await scenario.MunicipalityIdAsync();
        var otherMunicipality = await scenario.MunicipalityIdAsync("falkoping");
        var web = await SignedInAsync();
        var (form, formHtml) = await web.GetAsync("/arenden/nytt");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains($"name=\"MunicipalityId\" value=\"{municipalityId}\"", formHtml);

        // A personnummer that fails the check: the message by the field and in the summary, what was typed kept.
        var (invalid, invalidHtml) = await web.PostFromAsync("/arenden/nytt", formHtml, [.. NewCaseForm("20100101-1234", municipalityId)]);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Ogiltigt personnummer.", invalidHtml);
        Assert.Contains("href=\"#Youth.personnummer\"", invalidHtml);
        Assert.Contains("aria-invalid=\"true\"", invalidHtml);
        Assert.Contains("value=\"Webbsson\"", invalidHtml);

        // The hidden municipality tampered with: another municipality's id is refused as over the API.
        var personnummer = TestPersonnummer.AgedOn(13, factory.Clock.GetUtcNow());
        var (tampered, tamperedHtml) = await web.PostFromAsync("/arenden/nytt", formHtml, [.. NewCaseForm(personnummer, otherMunicipality)]);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Contains("Ange en av dina kommuner.", tamperedHtml);
        // A tampered option (no such signal category) is the use case's message, not a crash.
        var (badOption, badOptionHtml) = await web.PostFromAsync("/arenden/nytt", formHtml,
            [.. NewCaseForm(personnummer, municipalityId).Select(f => f.Item1 == "SignalCategory" ? (f.Item1, "Hacker") : f)]);
        Assert.Equal(HttpStatusCode.BadRequest, badOption.StatusCode);
        Assert.Contains("Ange vad signalen gäller.", badOptionHtml);

        var (created, _) = await web.PostFromAsync("/arenden/nytt", formHtml, [.. NewCaseForm(personnummer, municipalityId)]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var caseId = Guid.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);
        var detail = await scenario.GetCaseAsync(caseId);
        Assert.Equal("Webbsson", detail.GetProperty("youth").GetProperty("familyName").GetString());
        Assert.Equal(1, detail.GetProperty("guardians").GetArrayLength()); // the empty second row is no guardian

        // The same youth again: the open case, with a link (the coordinator may see it).
        var (duplicate, duplicateHtml) = await web.PostFromAsync("/arenden/nytt", formHtml, [.. NewCaseForm(personnummer, municipalityId)]);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains($"href=\"/arenden/{caseId}\"", duplicateHtml);

        // Only the coordinator opens cases.
        var police = await SignedInAsync("polis");
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync("/arenden/nytt")).Response.StatusCode);
    }

    [Fact]
    public async Task Meeting_BookedHeldMinutedPlannedAndApproved_ThenReadOnly_AndAForeignMeetingIdIsRefusedAsByTheApi()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.GiveValidConsentAsync(caseId);
        var otherCase = await scenario.OpenCaseAsync();
        var foreignMeeting = await scenario.ScheduleAsync(otherCase, "Mapping", factory.Clock.GetUtcNow().AddDays(2));
        var web = await SignedInAsync();

        var startsAt = SspfSamordning.Domain.SwedishCalendar.ToLocal(factory.Clock.GetUtcNow().AddMinutes(2));
        var (_, newHtml) = await web.GetAsync($"/arenden/{caseId}/moten/nytt");
        var (badTime, badTimeHtml) = await web.PostFromAsync($"/arenden/{caseId}/moten/nytt", newHtml,
            ("Kind", "Network"), ("StartsAt", "4 december"), ("StartsTime", "14:30"), ("Location", "Rum 3"));
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("Ange datum som 2026-12-04.", badTimeHtml);
        Assert.Contains("value=\"Rum 3\"", badTimeHtml);
        var (booked, _) = await web.PostFromAsync($"/arenden/{caseId}/moten/nytt", newHtml,
            ("Kind", "Network"), ("StartsAt", startsAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("StartsTime", startsAt.ToString("HH:mm", CultureInfo.InvariantCulture)), ("Location", "Rum 3"));
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var meetingUrl = booked.Headers.Location!.OriginalString;
        var meetingId = Guid.Parse(meetingUrl.Split('/')[^1]);
        Assert.Equal("Scheduled", (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("state").GetString());

        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var (_, page) = await web.GetAsync(meetingUrl);
        Assert.Contains("Registrera som hållet", page);
        (await web.PostFromAsync(meetingUrl + "?handler=Hold", page, ("YouthAttended", "true"), ("Minutes", "Utkast"))).Response.RedirectsTo(meetingUrl);
        (_, page) = await web.GetAsync(meetingUrl);
        var (empty, emptyHtml) = await web.PostFromAsync(meetingUrl + "?handler=Minutes", page, ("Minutes", " "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Protokollet är tomt.", emptyHtml);
        (await web.PostFromAsync(meetingUrl + "?handler=Minutes", page, ("Minutes", "Protokoll v2"))).Response.RedirectsTo(meetingUrl);
        (await web.PostFromAsync(meetingUrl + "?handler=ActionPlan", page, ("Goals", "Gå i skolan varje dag"))).Response.RedirectsTo(meetingUrl);
        (await web.PostFromAsync(meetingUrl + "?handler=Approve", page)).Response.RedirectsTo(meetingUrl);

        // Approved: read-only, and a change posted anyway is the domain's refusal, nothing saved.
        (_, page) = await web.GetAsync(meetingUrl);
        Assert.Contains("Protokoll v2", page);
        Assert.Contains("Gå i skolan varje dag", page);
        Assert.Contains("Protokollet är godkänt", page);
        Assert.DoesNotContain("handler=Minutes", page);
        var (frozen, frozenHtml) = await web.PostFromAsync(meetingUrl + "?handler=Minutes", page, ("Minutes", "Ändrat i efterhand"));
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);
        Assert.Contains("Det finns ett problem", frozenHtml);
        Assert.Equal("Protokoll v2", (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("minutes").GetString());

        // Another case's meeting id in this case's address: 404 as the API answers, logged as refused, nothing changed.
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var foreignUrl = $"/arenden/{caseId}/moten/{foreignMeeting}";
        var (foreignGet, foreignHtml) = await web.GetAsync(foreignUrl);
        var (foreignPost, _) = await web.PostFromAsync(foreignUrl + "?handler=Minutes", page, ("Minutes", "Kapad"));
        var (foreignCancel, _) = await web.PostFromAsync(foreignUrl + "?handler=Approve", page);
        var (_, neverHtml) = await web.GetAsync($"/arenden/{caseId}/moten/{Guid.NewGuid()}");
        Assert.All([foreignGet, foreignPost, foreignCancel], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, foreignHtml);
        var api = await (await scenario.As("samordnare")).Http.PutAsJsonAsync($"/api/cases/{caseId}/meetings/{foreignMeeting}/minutes", new { minutes = "Kapad" });
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        var events = (await trail.NewAsync()).Events.Select(e => e.ToString()).ToList();
        Assert.Equal(5, events.Count(e => e.StartsWith("Refused/Refused", StringComparison.Ordinal)));
        Assert.DoesNotContain(events, e => e.StartsWith("Change", StringComparison.Ordinal));
        var other = await scenario.GetMeetingAsync(otherCase, foreignMeeting);
        Assert.Equal("Scheduled", other.GetProperty("state").GetString());

        // A case reader who is not the coordinator sees the meeting but may not change it.
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var social = await SignedInAsync("socialsekreterare");
        var (shown, socialHtml) = await social.GetAsync(meetingUrl);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostFromAsync(meetingUrl + "?handler=Approve", socialHtml)).Response.StatusCode);
    }

    [Fact]
    public async Task Team_Consent_Tasks_AndClosing_OverThePages_RefuseWhatTheApiRefuses()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var foreignCase = await scenario.OpenCaseAsync(municipality: "falkoping");
        var police = await scenario.UserIdAsync("polis");
        var auditor = await scenario.UserIdAsync("granskare");
        var otherMunicipalityUser = await scenario.UserIdAsync("samordnare", "falkoping");
        var web = await SignedInAsync();

        var (_, members) = await web.GetAsync($"/arenden/{caseId}/deltagare");
        Assert.Contains(police.ToString(), members);
        Assert.DoesNotContain(otherMunicipalityUser.ToString(), members); // the staff directory: the own municipalities only
        var (_, searched) = await web.GetAsync($"/arenden/{caseId}/deltagare?sok=skola");
        Assert.DoesNotContain(police.ToString(), searched);
        (await web.PostFromAsync($"/arenden/{caseId}/deltagare", members, ("UserId", police.ToString())))
            .Response.RedirectsTo($"/arenden/{caseId}/deltagare");
        Assert.Contains((await scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == police);
        // Tampered hidden user ids: a role without case work, another municipality's person; another municipality's case.
        foreach (var userId in new[] { auditor, otherMunicipalityUser, Guid.NewGuid() })
        {
            var (refused, refusedHtml) = await web.PostFromAsync($"/arenden/{caseId}/deltagare", members, ("UserId", userId.ToString()));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Ange en aktiv användare med en handläggande roll i ärendets kommun.", refusedHtml);
        }
        Assert.Equal(HttpStatusCode.NotFound,
            (await web.PostFromAsync($"/arenden/{foreignCase}/deltagare", members, ("UserId", police.ToString()))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync($"/arenden/{foreignCase}/avsluta")).Response.StatusCode);

        // Consent requested: the case awaits it, and the coordinator's start page lists the deadline with a link.
        var (_, consentHtml) = await web.GetAsync($"/arenden/{caseId}/begar-samtycke");
        var (noCategory, noCategoryHtml) = await web.PostFromAsync($"/arenden/{caseId}/begar-samtycke", consentHtml, ("Parties", "Skola"));
        Assert.Equal(HttpStatusCode.BadRequest, noCategory.StatusCode);
        Assert.Contains("Ange minst en informationskategori.", noCategoryHtml);
        (await web.PostFromAsync($"/arenden/{caseId}/begar-samtycke", consentHtml, ("Parties", "Skola"), ("Parties", "Polis"), ("Categories", "Basic")))
            .Response.RedirectsTo($"/arenden/{caseId}");
        var (again, againHtml) = await web.PostFromAsync($"/arenden/{caseId}/begar-samtycke", consentHtml, ("Parties", "Skola"), ("Categories", "Basic"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Ett samtycke väntar redan på svar.", againHtml);
        Assert.Equal("AwaitingConsent", (await scenario.GetCaseAsync(caseId)).GetProperty("state").GetString());
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString()!;
        var (_, start) = await web.GetAsync("/");
        Assert.Contains("Mina uppgifter", start);
        Assert.Contains("Samtycke saknar svar", start);
        Assert.Contains($"<a href=\"/arenden/{caseId}\">{caseNumber}</a>", start);
        var policeWeb = await SignedInAsync("polis");
        Assert.DoesNotContain(caseNumber, (await policeWeb.GetAsync("/")).Html); // not the police's task, nor visible before consent

        // Closing needs a reason from the list; the police may not close.
        Assert.Equal(HttpStatusCode.Forbidden, (await policeWeb.GetAsync($"/arenden/{caseId}/avsluta")).Response.StatusCode);
        var (_, closeHtml) = await web.GetAsync($"/arenden/{caseId}/avsluta");
        foreach (var reason in new string?[] { null, "Hacker" })
        {
            var (noReason, noReasonHtml) = await web.PostFromAsync($"/arenden/{caseId}/avsluta", closeHtml, ("CloseReason", reason), ("CloseComment", "Klart"));
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.Contains("Ange varför ärendet avslutas.", noReasonHtml);
            Assert.Contains("Klart</textarea>", noReasonHtml);
        }
        (await web.PostFromAsync($"/arenden/{caseId}/avsluta", closeHtml, ("CloseReason", "GoalsReached"), ("CloseComment", "Klart")))
            .Response.RedirectsTo($"/arenden/{caseId}");
        Assert.Equal("Closed", (await scenario.GetCaseAsync(caseId)).GetProperty("state").GetString());
        var (_, closed) = await web.GetAsync($"/arenden/{caseId}");
        Assert.Contains("Målen är uppnådda", closed);
        Assert.Contains("Händelser", closed);
        Assert.DoesNotContain("Samtycke saknar svar", (await web.GetAsync("/")).Html); // the case's deadlines closed with it
    }

    /// <summary>The samordnare moves and cancels a booked meeting and removes a team member; each destructive step asks first.</summary>
    [Fact]
    public async Task Meeting_MovedAndCancelled_Member_Removed_AfterAConfirmation_ForeignIdsAndTamperedFieldsRefusedAsByTheApi()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.GiveValidConsentAsync(caseId);
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddDays(2));
        var otherCase = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(otherCase, "fritid");
        var foreignMeeting = await scenario.ScheduleAsync(otherCase, "Mapping", factory.Clock.GetUtcNow().AddDays(2));
        var web = await SignedInAsync();
        var url = $"/arenden/{caseId}/moten/{meetingId}";
        var (_, page) = await web.GetAsync(url);
        Assert.Contains("Flytta mötet</button>", page);
        Assert.Contains($"href=\"{url}?stall-in=1\"", page);

        // Moving: a malformed date is the form's message (what was typed kept), a past time the API's; then moved.
        var (bad, badHtml) = await web.PostFromAsync(url + "?handler=Reschedule", page, ("NewDate", "i morgon"), ("NewTime", "10:00"), ("Reason", "Krock"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<a href=\"#NewDate\">Ange datum som 2026-12-04.</a>", badHtml);
        Assert.Contains("value=\"Krock\"", badHtml);
        var past = SwedishCalendar.ToLocal(factory.Clock.GetUtcNow().AddDays(-1));
        var (late, lateHtml) = await web.PostFromAsync(url + "?handler=Reschedule", page,
            ("NewDate", past.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("NewTime", "10:00"));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("<a href=\"#NewDate\">Mötet måste ligga i framtiden.</a>", lateHtml);
        var moved = SwedishCalendar.ToLocal(factory.Clock.GetUtcNow().AddDays(5));
        (await web.PostFromAsync(url + "?handler=Reschedule", page, ("NewDate", moved.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("NewTime", "13:15")))
            .Response.RedirectsTo(url);
        var meeting = await scenario.GetMeetingAsync(caseId, meetingId);
        Assert.Equal("Scheduled", meeting.GetProperty("state").GetString());
        Assert.Equal("13:15", SwedishCalendar.ToLocal(meeting.GetProperty("startsAt").GetDateTimeOffset()).ToString("HH:mm", CultureInfo.InvariantCulture));

        // Cancelling asks first; another case's meeting id is the one 404 page and nothing changes there; a member who is
        // not the samordnare gets the 403 page.
        var (_, confirm) = await web.GetAsync(url + "?stall-in=1");
        Assert.Contains("Vill du ställa in mötet?", confirm);
        Assert.Contains("Ja, ställ in mötet</button>", confirm);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (foreign, _) = await web.PostFromAsync($"/arenden/{caseId}/moten/{foreignMeeting}?handler=Cancel", confirm, ("Reason", "Fel möte"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal([$"Refused/Refused@{caseId.ToString()[..8]}"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        Assert.Equal("Scheduled", (await scenario.GetMeetingAsync(otherCase, foreignMeeting)).GetProperty("state").GetString());
        var school = await SignedInAsync("skola");
        var (_, schoolPage) = await school.GetAsync(url);
        Assert.DoesNotContain("Flytta mötet", schoolPage);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(url + "?handler=Cancel", schoolPage)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(url + "?handler=Reschedule", schoolPage,
            ("NewDate", moved.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("NewTime", "09:00"))).Response.StatusCode);
        (await web.PostFromAsync(url + "?handler=Cancel", confirm, ("Reason", "Familjen är sjuk"))).Response.RedirectsTo(url);
        Assert.Equal("Cancelled", (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("state").GetString());
        var (_, cancelledPage) = await web.GetAsync(url);
        Assert.DoesNotContain("Ställ in mötet", cancelledPage);
        var (again, againHtml) = await web.PostFromAsync(url + "?handler=Cancel", confirm);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Åtgärden är inte tillåten just nu", againHtml);

        // Removing a member asks first; a tampered hidden user id (another case's member, a made-up id) is the 404 page.
        var members = $"/arenden/{caseId}/deltagare";
        var schoolId = await scenario.UserIdAsync("skola");
        var (_, confirmRemoval) = await web.GetAsync($"{members}?ta-bort={schoolId}");
        Assert.Contains("ur ärendeteamet?", confirmRemoval);
        Assert.Contains($"name=\"UserId\" value=\"{schoolId}\"", confirmRemoval);
        foreach (var tampered in new[] { (await scenario.UserIdAsync("fritid")).ToString(), Guid.NewGuid().ToString(), "inte-ett-id" })
            Assert.Equal(HttpStatusCode.NotFound, (await web.PostFromAsync(members + "?handler=Remove", confirmRemoval, ("UserId", tampered))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(members + "?handler=Remove", schoolPage, ("UserId", schoolId.ToString()))).Response.StatusCode);
        (await web.PostFromAsync(members + "?handler=Remove", confirmRemoval, ("UserId", schoolId.ToString()))).Response.RedirectsTo(members + "?borttagen=1");
        Assert.DoesNotContain((await scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == schoolId);
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync($"/arenden/{caseId}")).Response.StatusCode);
    }
}
