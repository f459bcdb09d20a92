using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// The orosanmälan and insats pages over HTTP with the web cookie (issue 19, journeys 2 and 4): the API's visibility,
/// its refusals (a step the workflow does not allow, another role's change, another case's insats id) and its access log.
/// </summary>
public sealed class SocialWorkPagesTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private Task<WebClient> SignedInAsync(string name) => WebClient.SignedInAsync(factory, SspfClient.Demo(name));

    /// <summary>The queue's table row of one report.</summary>
    private static string QueueRow(string html, Guid reportId)
    {
        var at = html.IndexOf($"href=\"/orosanmalningar/{reportId}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, "the report is not in the queue");
        return html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task ConcernReportQueue_MarksAnOverdueDeadlineInWords()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await ConcernReportSteps.FileAsync(scenario, "skola");
        // The protection assessment is due the day the report arrives: two days later it is overdue.
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var social = await SignedInAsync("socialsekreterare");

        var (queue, html) = await social.GetAsync("/orosanmalningar");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var row = QueueRow(html, reportId);
        Assert.Matches(@"Skyddsbedömning: senast \d{4}-\d{2}-\d{2},\s*<span class=""overdue"">passerad för \d+ dag(ar)? sedan</span>", row);
        Assert.Contains("<strong class=\"tag tag--overdue\">Försenad</strong>", row);
    }

    [Fact]
    public async Task ConcernReport_QueueAndDeadlines_WorkedThroughItsSteps_RefusalsAsTheApi()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await ConcernReportSteps.FileAsync(scenario, "skola");
        var social = await SignedInAsync("socialsekreterare");
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();

        var (queue, queueHtml) = await social.GetAsync("/orosanmalningar");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains($"href=\"/orosanmalningar/{reportId}\"", queueHtml);
        // The queue's row names the report's statutory deadline with its date and the days left (not overdue: no tag).
        var row = QueueRow(queueHtml, reportId);
        Assert.Matches(@"Skyddsbedömning: senast \d{4}-\d{2}-\d{2},\s*<span[^>]*>(i dag|\d+ dag(ar)? kvar)</span>", row);
        Assert.DoesNotContain("Försenad", row);
        Assert.Contains("List/Allowed", (await trail.NewAsync()).Events.Select(e => e.ToString()));

        var url = $"/orosanmalningar/{reportId}";
        var (shown, page) = await social.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains(ConcernReportSteps.Content, page);
        Assert.Contains("Skyddsbedömning</td>", page);
        Assert.Matches(@"<td>\d{4}-\d{2}-\d{2}</td>\s*<td[^>]*>(i dag|\d+ dag(ar)? kvar)</td>", page);
        Assert.Equal(["Read/Allowed"], (await trail.NewAsync()).Events.Select(e => e.ToString()));

        // The API's field message, what was typed kept.
        var (missing, missingHtml) = await social.PostFromAsync(url, page, ("Trigger", "AssessProtection"), ("Assessment", "Inget akut skyddsbehov."));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("<a href=\"#ImmediateProtectionNeeded\">Ange om barnet behöver omedelbart skydd.</a>", missingHtml);
        Assert.Contains("value=\"Inget akut skyddsbehov.\"", missingHtml);

        // A step the workflow does not allow now: the API's 409, in Swedish on the form; nothing changes.
        var (refused, refusedHtml) = await social.PostFromAsync(url, page, ("Trigger", "CloseInvestigation"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Åtgärden är inte tillåten just nu.", refusedHtml);
        Assert.Equal("Received", (await ConcernReportSteps.DetailAsync(scenario, reportId)).GetProperty("state").GetString());

        (await social.PostFromAsync(url, page, ("Trigger", "AssessProtection"), ("Assessment", "Inget akut skyddsbehov."), ("ImmediateProtectionNeeded", "false")))
            .Response.RedirectsTo(url + "?sparat=1");
        Assert.Equal("ProtectionAssessed", (await ConcernReportSteps.DetailAsync(scenario, reportId)).GetProperty("state").GetString());
        var (_, assessed) = await social.GetAsync(url);
        Assert.Contains("Förhandsbedömning</td>", assessed);

        // A report that does not exist, shown or posted to: the one 404 page, logged as Refused.
        await trail.NewAsync();
        var (never, neverHtml) = await social.GetAsync($"/orosanmalningar/{Guid.NewGuid()}");
        var (posted, postedHtml) = await social.PostFromAsync($"/orosanmalningar/{Guid.NewGuid()}", page, ("Trigger", "OpenInvestigation"));
        Assert.All([never, posted], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, postedHtml);
        Assert.Equal(["Refused/Refused", "Refused/Refused"], (await trail.NewAsync()).Events.Select(e => e.ToString()));

        // Only socialtjänst: the school that filed it and the samordnare get the 403 page.
        foreach (var name in new[] { "skola", "samordnare" })
        {
            var other = await SignedInAsync(name);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/orosanmalningar")).Response.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(url)).Response.StatusCode);
        }
    }

    [Fact]
    public async Task Insats_ProposedBySamordnare_DecisionReferenceOnlyBySocialWorker_StepsOnlyByTheOwningParty()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        foreach (var name in new[] { "socialsekreterare", "skola" }) await scenario.AddMemberAsync(caseId, name);
        await scenario.GiveValidConsentAsync(caseId, parties: ["Skola", "Socialtjanst"], categories: ["Basic", "School", "SocialServicesSspfNotes"]);
        var socialUserId = await scenario.UserIdAsync("socialsekreterare");
        var coordinator = await SignedInAsync("samordnare");
        var list = $"/arenden/{caseId}/insatser";
        var (_, listHtml) = await coordinator.GetAsync(list);
        Assert.Contains("Föreslå en insats", listHtml);

        // Missing fields: the API's messages by the fields; what was typed kept.
        var (invalid, invalidHtml) = await coordinator.PostFromAsync(list, listHtml, ("Goal", "Stöd till familjen"), ("StartDate", "2027-13-40"));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("<a href=\"#StartDate\">", invalidHtml);
        Assert.Contains("value=\"Stöd till familjen\"", invalidHtml);

        var (proposed, _) = await coordinator.PostFromAsync(list, listHtml, ("Type", "ParentingSupport"), ("OwnerParty", "Socialtjanst"),
            ("ResponsibleUserId", socialUserId.ToString()), ("Goal", "Stöd till familjen"), ("IsBistand", "true"));
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var insats = proposed.Headers.Location!.OriginalString.Split('?')[0];
        Assert.StartsWith(list + "/", insats);

        // The school: may see the list, may not propose, record the decision, or move socialtjänst's insats.
        var school = await SignedInAsync("skola");
        var (schoolList, schoolListHtml) = await school.GetAsync(list);
        Assert.Equal(HttpStatusCode.OK, schoolList.StatusCode);
        Assert.DoesNotContain("Föreslå en insats", schoolListHtml);
        var (schoolInsats, schoolInsatsHtml) = await school.GetAsync(insats);
        Assert.DoesNotContain("Biståndsbeslut</h2>", schoolInsatsHtml);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(list, schoolListHtml, ("Type", "Mentor"), ("OwnerParty", "Skola"),
            ("ResponsibleUserId", socialUserId.ToString()), ("Goal", "Mentor i skolan"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(insats + "?handler=Decision", schoolInsatsHtml, ("DecisionReference", "SOC-1"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(insats + "?handler=Transition", schoolInsatsHtml, ("Trigger", "Cancel"))).Response.StatusCode);

        // Socialtjänst records the bistånd decision, then plans the insats.
        var social = await SignedInAsync("socialsekreterare");
        var (_, socialHtml) = await social.GetAsync(insats);
        Assert.Contains("Biståndsbeslut</h2>", socialHtml);
        (await social.PostFromAsync(insats + "?handler=Decision", socialHtml, ("DecisionReference", "SOC-2026-99"))).Response.RedirectsTo(insats + "?sparat=1");
        (await social.PostFromAsync(insats + "?handler=Transition", socialHtml, ("Trigger", "Plan"))).Response.RedirectsTo(insats + "?sparat=1");
        var view = await (await (await scenario.As("socialsekreterare")).Http.GetAsync("/api/cases/" + caseId + "/interventions/" + insats.Split('/')[^1])).JsonAsync();
        Assert.Equal("SOC-2026-99", view.GetProperty("decisionReference").GetString());
        Assert.Equal("Planned", view.State());

        // Another case's insats id under this case: the 404 of an id that never existed, shown or posted, logged as Refused.
        var otherCaseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(otherCaseId, "socialsekreterare");
        await scenario.GiveValidConsentAsync(otherCaseId, parties: ["Skola", "Socialtjanst"], categories: ["Basic", "SocialServicesSspfNotes"]);
        var otherProposal = await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{otherCaseId}/interventions",
            new { type = "Mentor", ownerParty = "Socialtjanst", responsibleUserId = socialUserId, goal = "Annat ärende" });
        await otherProposal.EnsureStatusAsync(HttpStatusCode.Created);
        var foreignId = (await otherProposal.JsonAsync()).GetProperty("id").GetGuid();
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (foreign, foreignHtml) = await social.GetAsync($"{list}/{foreignId}");
        var (never, neverHtml) = await social.GetAsync($"{list}/{Guid.NewGuid()}");
        var (postedTransition, _) = await social.PostFromAsync($"{list}/{foreignId}?handler=Transition", socialHtml, ("Trigger", "Plan"));
        var (postedDecision, _) = await social.PostFromAsync($"{list}/{foreignId}?handler=Decision", socialHtml, ("DecisionReference", "SOC-FEL"));
        Assert.All([foreign, never, postedTransition, postedDecision], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, foreignHtml);
        Assert.Equal(Enumerable.Repeat($"Refused/Refused@{caseId.ToString()[..8]}", 4), (await trail.NewAsync()).Events.Select(e => e.ToString()));
        var untouched = await (await (await scenario.As("socialsekreterare")).Http.GetAsync($"/api/cases/{otherCaseId}/interventions/{foreignId}")).JsonAsync();
        Assert.Equal("Proposed", untouched.State());
        Assert.Equal(JsonValueKind.Null, untouched.GetProperty("decisionReference").ValueKind);
    }

    /// <summary>A case with skola and fritid in the team, an adopted action plan (its first follow-up) and one proposed insats of each.</summary>
    private async Task<(CaseScenario Scenario, Guid CaseId, SspfClient Coordinator, Guid SchoolInsats, Guid LeisureInsats, Guid FollowUpId)> FollowUpCaseAsync()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        foreach (var name in new[] { "skola", "fritid" }) await scenario.AddMemberAsync(caseId, name);
        await scenario.GiveValidConsentAsync(caseId, parties: ["Skola", "Socialtjanst", "Fritid"], categories: ["Basic", "School"]);
        await Cases.CaseSteps.AdoptActionPlanAsync(scenario, factory, caseId);
        var coordinatorApi = await scenario.As("samordnare");
        var schoolInsats = (await Interventions.InterventionTests.ProposeAsync(coordinatorApi, caseId, Domain.Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        var leisureInsats = (await Interventions.InterventionTests.ProposeAsync(coordinatorApi, caseId, Domain.Party.Fritid, await scenario.UserIdAsync("fritid"))).GetProperty("id").GetGuid();
        var followUps = await (await coordinatorApi.Http.GetAsync($"/api/cases/{caseId}/follow-ups")).JsonAsync();
        return (scenario, caseId, coordinatorApi, schoolInsats, leisureInsats, followUps.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    /// <summary>Decision 11 on the page: the school records its own insats's assessment at an open follow-up; nothing else.</summary>
    [Fact]
    public async Task FollowUp_SchoolRecordsItsInsatsAssessment_TamperedOrForeignIdsAndADoneFollowUp_RefusedAsTheApi()
    {
        var (scenario, caseId, coordinatorApi, schoolInsats, leisureInsats, followUpId) = await FollowUpCaseAsync();
        var url = $"/arenden/{caseId}/uppfoljningar/{followUpId}";

        var school = await SignedInAsync("skola");
        var (_, caseHtml) = await school.GetAsync($"/arenden/{caseId}");
        Assert.Contains($"href=\"{url}\"", caseHtml);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (shown, page) = await school.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal([$"Read/Allowed@{caseId.ToString()[..8]}"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        // A form for the school's own insats only; the fritid insats is shown without one.
        Assert.Contains($"name=\"InterventionId\" value=\"{schoolInsats}\"", page);
        Assert.DoesNotContain($"name=\"InterventionId\" value=\"{leisureInsats}\"", page);

        // Empty: the API's message by the insats's field, in the summary.
        var (empty, emptyHtml) = await school.PostFromAsync(url, page, ("InterventionId", schoolInsats.ToString()), ("Assessment", "  "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains($"<a href=\"#Assessment-{schoolInsats:N}\">Bedömningen av insatsen är tom.</a>", emptyHtml);
        var tooLong = new string('x', Domain.TextLimits.Assessment + 1);
        var (longAnswer, longHtml) = await school.PostFromAsync(url, page, ("InterventionId", schoolInsats.ToString()), ("Assessment", tooLong));
        Assert.Equal(HttpStatusCode.BadRequest, longAnswer.StatusCode);
        Assert.Contains(tooLong + "</textarea>", longHtml);

        (await school.PostFromAsync(url, page, ("InterventionId", schoolInsats.ToString()), ("Assessment", "Närvaron är 94 procent.")))
            .Response.RedirectsTo(url + "?sparat=1");
        var (_, savedHtml) = await school.GetAsync(url + "?sparat=1");
        Assert.Contains("Närvaron är 94 procent.</textarea>", savedHtml);

        // Tampered hidden field: the fritid insats (seen, another party's) is the 403 page; another case's insats, a made-up
        // one or no id at all the one 404 page — each logged as Refused, nothing recorded.
        var otherCase = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(otherCase, "skola");
        await scenario.GiveValidConsentAsync(otherCase, parties: ["Skola"], categories: ["Basic", "School"]);
        var foreignInsats = (await Interventions.InterventionTests.ProposeAsync(coordinatorApi, otherCase, Domain.Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        await trail.NewAsync();
        var (other, _) = await school.PostFromAsync(url, page, ("InterventionId", leisureInsats.ToString()), ("Assessment", "Fel aktör."));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        foreach (var tampered in new[] { foreignInsats.ToString(), Guid.NewGuid().ToString(), "inte-ett-id", null })
            Assert.Equal(HttpStatusCode.NotFound, (await school.PostFromAsync(url, page, ("InterventionId", tampered), ("Assessment", "Manipulerat."))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await school.PostFromAsync($"/arenden/{caseId}/uppfoljningar/{Guid.NewGuid()}", page,
            ("InterventionId", schoolInsats.ToString()), ("Assessment", "Annan uppföljning."))).Response.StatusCode);
        Assert.Equal(Enumerable.Repeat($"Refused/Refused@{caseId.ToString()[..8]}", 6), (await trail.NewAsync()).Events.Select(e => e.ToString()));

        // Not a member of the team: the case does not exist for socialtjänst here.
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignedInAsync("socialsekreterare")).GetAsync(url)).Response.StatusCode);

        // The samordnare completes with the overall assessment: the school's stays; the page is read-only afterwards (409).
        await (await coordinatorApi.Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/transitions",
            new { trigger = "Complete", overallAssessment = "Stabil utveckling." })).EnsureStatusAsync(HttpStatusCode.OK);
        var (_, doneHtml) = await school.GetAsync(url);
        Assert.DoesNotContain("<textarea", doneHtml);
        Assert.Contains("Bedömning: Närvaron är 94 procent.", doneHtml);
        Assert.Contains("Stabil utveckling.", doneHtml);
        var (late, lateHtml) = await school.PostFromAsync(url, page, ("InterventionId", schoolInsats.ToString()), ("Assessment", "I efterhand."));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Uppföljningen är inte längre öppen", lateHtml);
        var view = await (await coordinatorApi.Http.GetAsync($"/api/cases/{caseId}/follow-ups/{followUpId}")).JsonAsync();
        var kept = Assert.Single(view.GetProperty("assessments").EnumerateArray());
        Assert.Equal((schoolInsats, "Närvaron är 94 procent."), (kept.GetProperty("interventionId").GetGuid(), kept.GetProperty("assessment").GetString()));
    }

    /// <summary>
    /// Decision 9/11 on the page: the samordnare completes an open follow-up through the API's transition — a text per
    /// planned insats, prefilled with what the party recorded, and the overall assessment; what is missing is named by its
    /// field with what was typed kept; another case's insats or follow-up, another role and a Done follow-up are refused
    /// as the API refuses them.
    /// </summary>
    [Fact]
    public async Task FollowUp_TheSamordnareCompletesIt_PrefilledWithThePartiesAssessments_RefusalsAsTheApi()
    {
        var (scenario, caseId, coordinatorApi, schoolInsats, leisureInsats, followUpId) = await FollowUpCaseAsync();
        foreach (var insats in new[] { schoolInsats, leisureInsats })
            await (await Interventions.InterventionTests.TransitionAsync(coordinatorApi, caseId, insats, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.OK);
        var followUpsUrl = $"/api/cases/{caseId}/follow-ups";
        await (await (await scenario.As("skola")).Http.PutAsJsonAsync($"{followUpsUrl}/{followUpId}/assessments/{schoolInsats}",
            new { assessment = "Närvaron är 94 procent." })).EnsureStatusAsync(HttpStatusCode.OK);
        var url = $"/arenden/{caseId}/uppfoljningar/{followUpId}";
        var complete = url + "?handler=Complete";
        string Final(Guid insats) => $"Final[{insats}]";

        var coordinator = await SignedInAsync("samordnare");
        var (_, page) = await coordinator.GetAsync(url);
        Assert.Contains("Genomför uppföljningen", page);
        Assert.Matches($"id=\"Final-{schoolInsats:N}\"[^>]*>Närvaron är 94 procent.</textarea>", page);
        Assert.Matches($"id=\"Final-{leisureInsats:N}\"[^>]*></textarea>", page);

        // No overall assessment: the API's message by its field, the edited text kept.
        var (noOverall, noOverallHtml) = await coordinator.PostFromAsync(complete, page, (Final(schoolInsats), "Närvaron är 95 procent."),
            (Final(leisureInsats), "Deltar varje vecka."), ("OverallAssessment", " "));
        Assert.Equal(HttpStatusCode.BadRequest, noOverall.StatusCode);
        Assert.Contains("<a href=\"#OverallAssessment\">Ange en bedömning av ärendet som helhet.</a>", noOverallHtml);
        Assert.Contains(">Närvaron är 95 procent.</textarea>", noOverallHtml);
        Assert.Contains(">Deltar varje vecka.</textarea>", noOverallHtml);
        // The fritid insats unassessed (nothing recorded, nothing typed): the domain's message by that insats's field.
        var (missing, missingHtml) = await coordinator.PostFromAsync(complete, page, (Final(schoolInsats), "Närvaron är 94 procent."),
            (Final(leisureInsats), ""), ("OverallAssessment", "Stabil utveckling."));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains($"<a href=\"#Final-{leisureInsats:N}\">Bedömning av insatsen saknas.</a>", missingHtml);
        Assert.Contains($"id=\"Final-{leisureInsats:N}-error\"", missingHtml);
        Assert.Contains(">Stabil utveckling.</textarea>", missingHtml);

        // Tampered: another case's insats in a field name, another case's follow-up id, a made-up one; another role.
        var otherCase = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(otherCase, "skola");
        await scenario.GiveValidConsentAsync(otherCase, parties: ["Skola"], categories: ["Basic", "School"]);
        var foreignInsats = (await Interventions.InterventionTests.ProposeAsync(coordinatorApi, otherCase, Domain.Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        await Cases.CaseSteps.AdoptActionPlanAsync(scenario, factory, otherCase);
        var foreignFollowUp = (await (await coordinatorApi.Http.GetAsync($"/api/cases/{otherCase}/follow-ups")).JsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        (string, string?)[] full = [(Final(schoolInsats), "Närvaron är 94 procent."), (Final(leisureInsats), "Deltar."), ("OverallAssessment", "Stabil.")];
        var (foreign, foreignHtml) = await coordinator.PostFromAsync(complete, page, [.. full, (Final(foreignInsats), "Manipulerat.")]);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("Bedömningen gäller en insats som inte finns i ärendet.", foreignHtml);
        foreach (var other in new[] { foreignFollowUp, Guid.NewGuid() })
            Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostFromAsync($"/arenden/{caseId}/uppfoljningar/{other}?handler=Complete", page, full)).Response.StatusCode);
        var school = await SignedInAsync("skola");
        var (_, schoolPage) = await school.GetAsync(url);
        Assert.DoesNotContain("Genomför uppföljningen", schoolPage);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostFromAsync(complete, schoolPage, full)).Response.StatusCode);
        var api = await (await scenario.As("skola")).Http.PostAsJsonAsync($"{followUpsUrl}/{followUpId}/transitions", new { trigger = "Complete", overallAssessment = "Stabil." });
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        var untouched = await (await coordinatorApi.Http.GetAsync($"{followUpsUrl}/{followUpId}")).JsonAsync();
        Assert.Equal("Scheduled", untouched.State());
        Assert.Equal("Scheduled", (await (await coordinatorApi.Http.GetAsync($"/api/cases/{otherCase}/follow-ups/{foreignFollowUp}")).JsonAsync()).State());

        // Completed: the API's view has the texts, the page its notice and no form; once Done it is the API's 409.
        var (done, _) = await coordinator.PostFromAsync(complete, page, (Final(schoolInsats), "Närvaron är 94 procent."),
            (Final(leisureInsats), " Deltar varje vecka. "), ("OverallAssessment", "Stabil utveckling."));
        done.RedirectsTo(url + "?sparat=genomford");
        var view = await (await coordinatorApi.Http.GetAsync($"{followUpsUrl}/{followUpId}")).JsonAsync();
        Assert.Equal("Done", view.State());
        Assert.Equal("Stabil utveckling.", view.GetProperty("overallAssessment").GetString());
        var texts = view.GetProperty("assessments").EnumerateArray().ToDictionary(a => a.GetProperty("interventionId").GetGuid(), a => a.GetProperty("assessment").GetString());
        Assert.Equal(2, texts.Count);
        Assert.Equal("Närvaron är 94 procent.", texts[schoolInsats]);
        Assert.Equal("Deltar varje vecka.", texts[leisureInsats]); // trimmed
        var (_, doneHtml) = await coordinator.GetAsync(url + "?sparat=genomford");
        Assert.Contains("Uppföljningen är genomförd.", doneHtml);
        Assert.DoesNotContain("Genomför uppföljningen", doneHtml);
        var (again, _) = await coordinator.PostFromAsync(complete, page, full);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Stabil utveckling.", (await (await coordinatorApi.Http.GetAsync($"{followUpsUrl}/{followUpId}")).JsonAsync()).GetProperty("overallAssessment").GetString());
    }

    /// <summary>The report socialtjänst received with exactly this content (the API's list and detail), or null.</summary>
    private static async Task<JsonElement?> ReceivedAsync(CaseScenario scenario, string content)
    {
        var list = await (await (await scenario.As("socialsekreterare")).Http.GetAsync("/api/concern-reports?pageSize=100")).JsonAsync();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var detail = await ConcernReportSteps.DetailAsync(scenario, item.GetProperty("id").GetGuid());
            if (detail.GetProperty("content").GetString() == content) return detail;
        }
        return null;
    }

    [Fact]
    public async Task FileConcernReport_Page_ForEveryCaseRole_TheApisChecksAndMessages_TamperedCaseRefused()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        const string url = "/orosanmalningar/ny";
        var school = await SignedInAsync("skola");
        var (_, startHtml) = await school.GetAsync("/");
        Assert.Contains($"href=\"{url}\"", startHtml);
        var (shown, form) = await school.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        // One municipality: a hidden field, the person's own.
        Assert.Equal((await scenario.MunicipalityIdAsync()).ToString(), WebClient.Hidden(form, "MunicipalityId"));

        // Nothing chosen or written: the API's messages by the fields, what was typed kept, nothing filed.
        var content = $"Eleven har berättat om hot hemma ({Guid.NewGuid():N}).";
        var (missing, missingHtml) = await school.PostFromAsync(url, form, ("MunicipalityId", WebClient.Hidden(form, "MunicipalityId")),
            ("YouthName", "Kim Testsson"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("<a href=\"#Content\">Anmälan saknar innehåll.</a>", missingHtml);
        Assert.Contains("<a href=\"#ConcernsViolenceAgainstChild\">Ange om anmälan gäller våld mot barnet.</a>", missingHtml);
        Assert.Contains("value=\"Kim Testsson\"", missingHtml);

        // Another municipality's id in the hidden field: the API's message; a made-up case id: refused, never dropped.
        var falkoping = await scenario.MunicipalityIdAsync("falkoping");
        var (foreign, foreignHtml) = await school.PostFromAsync(url, form, ("MunicipalityId", falkoping.ToString()), ("Content", content),
            ("ConcernsViolenceAgainstChild", "false"));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("Ange en av dina kommuner.", foreignHtml);
        Assert.Contains(content, foreignHtml);
        Assert.Matches("id=\"ConcernsViolenceAgainstChild-1\"[^>]*value=\"false\"\\s+checked=\"checked\"", foreignHtml);
        var (garbled, garbledHtml) = await school.PostFromAsync(url, form, ("MunicipalityId", WebClient.Hidden(form, "MunicipalityId")),
            ("arende", "inte-ett-id"), ("Content", content), ("ConcernsViolenceAgainstChild", "false"));
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("kunde inte läsas", garbledHtml);

        // A case the school is no member of, from the address of a case page: the API's 400, nothing filed.
        var caseId = await scenario.OpenCaseAsync();
        var (fromCase, fromCaseForm) = await school.GetAsync($"{url}?arende={caseId}");
        Assert.Equal(HttpStatusCode.OK, fromCase.StatusCode);
        Assert.Equal(caseId.ToString(), WebClient.Hidden(fromCaseForm, "arende"));
        var (notVisible, notVisibleHtml) = await school.PostFromAsync(url, fromCaseForm, ("MunicipalityId", WebClient.Hidden(form, "MunicipalityId")),
            ("arende", caseId.ToString()), ("Content", content), ("ConcernsViolenceAgainstChild", "false"));
        Assert.Equal(HttpStatusCode.BadRequest, notVisible.StatusCode);
        Assert.Contains("<li>Ange ett ärende i kommunen som du har tillgång till.</li>", notVisibleHtml);
        Assert.Null(await ReceivedAsync(scenario, content));

        // Filed: the school gets a receipt only (never the content back); socialtjänst has the report, the school as reporter.
        (await school.PostFromAsync(url, form, ("MunicipalityId", WebClient.Hidden(form, "MunicipalityId")), ("Content", content),
            ("ConcernsViolenceAgainstChild", "false"), ("YouthName", "Kim Testsson"))).Response.RedirectsTo(url + "?skickad=1");
        var (_, receiptHtml) = await school.GetAsync(url + "?skickad=1");
        Assert.Contains("Anmälan är skickad till socialtjänsten.", receiptHtml);
        var filed = Assert.NotNull(await ReceivedAsync(scenario, content));
        Assert.Equal("Skola", filed.GetProperty("reporterParty").GetString());
        Assert.Equal("Kim Testsson", filed.GetProperty("youthName").GetString());
        Assert.Equal(JsonValueKind.Null, filed.GetProperty("caseId").ValueKind);

        // The samordnare files from a case it sees: linked to that case. A socialsekreterare lands on the report itself.
        var coordinator = await SignedInAsync("samordnare");
        var (_, casePageHtml) = await coordinator.GetAsync($"/arenden/{caseId}");
        Assert.Contains($"href=\"{url}?arende={caseId}\"", casePageHtml);
        var (_, coordinatorForm) = await coordinator.GetAsync($"{url}?arende={caseId}");
        var fromCoordinator = content + " Från ärendet.";
        (await coordinator.PostFromAsync(url, coordinatorForm, ("MunicipalityId", WebClient.Hidden(coordinatorForm, "MunicipalityId")),
            ("arende", caseId.ToString()), ("Content", fromCoordinator), ("ConcernsViolenceAgainstChild", "true"))).Response.RedirectsTo(url + "?skickad=1");
        var linked = Assert.NotNull(await ReceivedAsync(scenario, fromCoordinator));
        Assert.Equal(caseId, linked.GetProperty("caseId").GetGuid());
        Assert.Equal("InvestigationOpened", linked.GetProperty("state").GetString());

        var social = await SignedInAsync("socialsekreterare");
        var (_, socialForm) = await social.GetAsync(url);
        var bySocial = content + " Socialtjänsten.";
        var (done, _) = await social.PostFromAsync(url, socialForm, ("MunicipalityId", WebClient.Hidden(socialForm, "MunicipalityId")),
            ("Content", bySocial), ("ConcernsViolenceAgainstChild", "false"));
        var own = Assert.NotNull(await ReceivedAsync(scenario, bySocial));
        done.RedirectsTo($"/orosanmalningar/{own.GetProperty("id").GetGuid()}");

        // Roles without a case role may not file, as the API's Reporter policy: the 403 page for showing and posting.
        foreach (var name in new[] { "granskare", "analytiker" })
        {
            var other = await SignedInAsync(name);
            var (_, otherStart) = await other.GetAsync("/");
            Assert.DoesNotContain($"href=\"{url}\"", otherStart);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(url)).Response.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostFromAsync(url, otherStart, ("MunicipalityId", falkoping.ToString()),
                ("Content", content), ("ConcernsViolenceAgainstChild", "false"))).Response.StatusCode);
        }
    }

    /// <summary>A person serving two municipalities chooses among them by name, on the filing page as on the new-case page.</summary>
    [Fact]
    public async Task MunicipalityChoice_ShowsTheMunicipalitiesByName()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        await Admin.AdminTestData.SharedUnitAsync(factory);
        var officer = new WebClient(factory);
        (await officer.SignInAsync("polis.delad@falkenberg.example")).RedirectsTo("/");
        var (_, html) = await officer.GetAsync("/orosanmalningar/ny");
        var falkenberg = await scenario.MunicipalityIdAsync();
        var falkoping = await scenario.MunicipalityIdAsync("falkoping");
        Assert.Contains("<option value=\"\">Välj kommun</option>", html);
        Assert.Contains($"<option value=\"{falkenberg}\">Falkenberg</option>", html);
        Assert.Contains($"<option value=\"{falkoping}\">Falköping</option>", html);
        Assert.DoesNotContain("Kommun 1", html);

        // The new-case form draws the same choice: a samordnare account serving both municipalities sees their names.
        await Admin.AdminTestData.AccountAsync(factory, "samordnare.delad@falkenberg.example", SspfSamordning.Api.Infrastructure.Auth.Roles.Samordnare, Admin.AdminTestData.SharedUnitName);
        var coordinator = new WebClient(factory);
        (await coordinator.SignInAsync("samordnare.delad@falkenberg.example")).RedirectsTo("/");
        var (_, newCase) = await coordinator.GetAsync("/arenden/nytt");
        Assert.Contains($"<option value=\"{falkenberg}\">Falkenberg</option>", newCase);
        Assert.Contains($"<option value=\"{falkoping}\">Falköping</option>", newCase);
        Assert.DoesNotContain("Kommun 1", newCase);
        // One municipality: a hidden field, the person's own.
        var (_, single) = await (await SignedInAsync("samordnare")).GetAsync("/arenden/nytt");
        Assert.Equal(falkenberg.ToString(), WebClient.Hidden(single, "MunicipalityId"));
    }
}
