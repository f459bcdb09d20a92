using System.Net;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// The consent page (/arenden/{id}/samtycken/{consentId}) over HTTP with the web cookie: who must sign by the youth's age
/// today, valid only when all have given, withdrawal and narrowed scope — and every refusal the API makes (a signatory the
/// age rule excludes, a tampered signer value, another case's consent id, no antiforgery token, a role that records no consent).
/// </summary>
public sealed class ConsentPageTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static string Url(Guid caseId, Guid consentId) => $"/arenden/{caseId}/samtycken/{consentId}";

    private Task<WebClient> SocialWorkerAsync() => WebClient.SignedInAsync(factory, SspfClient.Demo("socialsekreterare"));

    private static (string, string?)[] Written(string signer, bool given = true) =>
        [("Signer", signer), ("Given", given ? "true" : "false"), ("Form", "Written"), ("DocumentRef", "Blankett 2026-41"), ("ObtainedBy", "Socialtjanst")];

    [Fact]
    public async Task Youth15To17_NeedsGuardiansAndYouth_ValidOnlyWhenAllHaveGiven_ThenNarrowedAndWithdrawn()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 16);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId, categories: ["Basic", "School", "Police"]);
        var guardians = await scenario.GuardianIdsAsync(caseId);
        var web = await SocialWorkerAsync();
        var url = Url(caseId, consentId);

        var (shown, page) = await web.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Ungdomen är 15–17 år", page);
        Assert.Equal(3, CountOf(page, "<span class=\"status-wait\">inget svar ännu</span>"));
        Assert.Contains("Samtycket är inte giltigt", page);

        // A verbal answer without who took it: the API's message by the field, what was typed kept, nothing recorded.
        var (invalid, invalidPage) = await web.PostFromAsync(url + "?handler=Answer", page,
            ("Signer", guardians[0].ToString()), ("Given", "true"), ("Form", "Verbal"), ("DocumentRef", "behålls-123"), ("ObtainedBy", "Socialtjanst"));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("Det finns ett problem", invalidPage);
        Assert.Contains("<a href=\"#VerbalRecordedBy\">Ange vem som tog emot det muntliga svaret.</a>", invalidPage);
        Assert.Contains("value=\"behålls-123\"", invalidPage);
        await scenario.AssertUnansweredAsync(caseId, consentId);

        foreach (var guardian in guardians)
            (await web.PostFromAsync(url + "?handler=Answer", page, Written(guardian.ToString()))).Response.RedirectsTo(url + "?sparat=svar");
        var (_, partly) = await web.GetAsync(url);
        Assert.Equal(2, CountOf(partly, "har gett samtycke"));
        Assert.Contains("Samtycket är inte giltigt", partly);
        Assert.Equal("PartiallyGiven", (await scenario.GetConsentAsync(caseId, consentId)).State());

        (await web.PostFromAsync(url + "?handler=Answer", partly, Written("Youth"))).Response.RedirectsTo(url + "?sparat=svar");
        var (_, valid) = await web.GetAsync(url);
        Assert.Contains("Samtycket är giltigt: alla som ska samtycka har gett sitt samtycke.", valid);
        Assert.Equal("Valid", (await scenario.GetConsentAsync(caseId, consentId)).State());

        // The youth narrows the scope: Polis and the police category no longer covered.
        (await web.PostFromAsync(url + "?handler=Narrow", valid, ("NarrowSigner", "Youth"),
            ("Parties", "Skola"), ("Parties", "Socialtjanst"), ("Parties", "Fritid"), ("Categories", "Basic"), ("Categories", "School")))
            .Response.RedirectsTo(url + "?sparat=avgransat");
        var narrowed = await scenario.GetConsentAsync(caseId, consentId);
        Assert.DoesNotContain("Polis", narrowed.Strings("parties"));
        Assert.Equal(["Basic", "School"], narrowed.Strings("categories").Order());

        var (_, beforeWithdrawal) = await web.GetAsync(url);
        (await web.PostFromAsync(url + "?handler=Withdraw", beforeWithdrawal, ("WithdrawSigner", guardians[1].ToString()), ("Reason", "Vill inte längre")))
            .Response.RedirectsTo(url + "?sparat=aterkallat");
        Assert.Equal("Withdrawn", (await scenario.GetConsentAsync(caseId, consentId)).State());
        Assert.Equal("AwaitingConsent", await scenario.CaseStateAsync(caseId));
    }

    [Fact]
    public async Task AnswersTheAgeRuleExcludes_OrATamperedSigner_AreRefusedAsTheApiRefusesThem_AndRecordNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var otherCaseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId);
        var web = await SocialWorkerAsync();
        var url = Url(caseId, consentId);
        var (_, page) = await web.GetAsync(url);
        Assert.Contains("Ungdomen är under 15 år", page);
        Assert.DoesNotContain("value=\"Youth\"", page); // the form offers only the guardians

        // The youth under 15 (a value the form does not offer): the domain's 409, as the API answers it.
        var (youth, youthPage) = await web.PostFromAsync(url + "?handler=Answer", page, Written("Youth"));
        Assert.Equal(HttpStatusCode.OK, youth.StatusCode);
        Assert.Contains("Ungdomen är under 15 år; samtycket lämnas av vårdnadshavarna.", youthPage);
        var api = await (await scenario.AnswerAsync(caseId, consentId, "Youth", recorder: "socialsekreterare")).Content.ReadAsStringAsync();
        Assert.Contains("Ungdomen är under 15 år; samtycket lämnas av vårdnadshavarna.", api);

        // Another case's guardian in the signer field: not a signatory of this consent.
        var foreignGuardian = (await scenario.GuardianIdsAsync(otherCaseId))[0];
        var (tampered, tamperedPage) = await web.PostFromAsync(url + "?handler=Answer", page, Written(foreignGuardian.ToString()));
        Assert.Equal(HttpStatusCode.OK, tampered.StatusCode);
        Assert.Contains("Det finns ett problem", tamperedPage);
        var (garbage, garbagePage) = await web.PostFromAsync(url + "?handler=Answer", page, Written("inte-ett-id"));
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Contains("<a href=\"#Signer\">Ange vem som undertecknar: Youth eller Guardian.</a>", garbagePage);
        await scenario.AssertUnansweredAsync(caseId, consentId);
    }

    [Fact]
    public async Task AnotherCasesConsentId_IsTheSame404AsAnIdThatNeverExisted_AndIsLoggedAsRefused()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var otherCaseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        await scenario.AddMemberAsync(otherCaseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId);
        var foreignConsentId = await scenario.RequestConsentAsync(otherCaseId);
        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        var web = await SocialWorkerAsync();
        var (_, page) = await web.GetAsync(Url(caseId, consentId));
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();

        var (never, neverHtml) = await web.GetAsync(Url(caseId, Guid.NewGuid()));
        var (foreign, foreignHtml) = await web.GetAsync(Url(caseId, foreignConsentId));
        Assert.All([never, foreign], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, foreignHtml);

        // The page's form, posted to this case with the other case's consent id: 404, nothing recorded on either consent.
        var foreignUrl = Url(caseId, foreignConsentId);
        var (answer, answerHtml) = await web.PostFromAsync(foreignUrl + "?handler=Answer", page, Written(guardian.ToString()));
        var (withdraw, _) = await web.PostFromAsync(foreignUrl + "?handler=Withdraw", page, ("WithdrawSigner", guardian.ToString()));
        var (narrow, _) = await web.PostFromAsync(foreignUrl + "?handler=Narrow", page, ("NarrowSigner", guardian.ToString()), ("Parties", "Skola"), ("Categories", "Basic"));
        Assert.All([answer, withdraw, narrow], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, answerHtml);
        var events = (await trail.NewAsync()).Events.Select(e => e.ToString()).ToList();
        Assert.Equal(Enumerable.Repeat($"Refused/Refused@{caseId.ToString()[..8]}", 5), events);
        // The API answers the same request the same way.
        var api = await scenario.AnswerAsync(caseId, foreignConsentId, "Guardian", guardian, recorder: "socialsekreterare");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        await scenario.AssertUnansweredAsync(caseId, consentId);
        await scenario.AssertUnansweredAsync(otherCaseId, foreignConsentId);
    }

    [Fact]
    public async Task WithoutAntiforgeryToken_400_AndARoleThatRecordsNoConsent_403()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        await scenario.AddMemberAsync(caseId, "polis");
        var consentId = await scenario.GiveValidConsentAsync(caseId, parties: ["Polis", "Socialtjanst"], categories: ["Basic", "Police"]);
        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        var web = await SocialWorkerAsync();
        var (noToken, _) = await web.PostFormAsync(Url(caseId, consentId) + "?handler=Withdraw",
            [new("WithdrawSigner", guardian.ToString())], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal("Valid", (await scenario.GetConsentAsync(caseId, consentId)).State());

        var police = new WebClient(factory);
        (await police.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(Url(caseId, consentId))).Response.StatusCode);
        // The case page links to the consent only for those who record consent.
        Assert.DoesNotContain("/samtycken/", (await police.GetAsync($"/arenden/{caseId}")).Html);
        Assert.Contains(Url(caseId, consentId), (await web.GetAsync($"/arenden/{caseId}")).Html);
    }

    private static int CountOf(string html, string text) => (html.Length - html.Replace(text, "").Length) / text.Length;
}
