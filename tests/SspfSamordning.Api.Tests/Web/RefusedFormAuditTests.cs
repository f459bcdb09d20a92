using System.Net;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// A refused form is the page again, with the record in it: it is logged as the page's GET is (domain.md, access rule 8:
/// every read), whatever its status. And the address names the record: a posted field named like a route value cannot
/// make the handler act on another record than the one the access log names.
/// </summary>
public sealed class RefusedFormAuditTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private Task<WebClient> SignedInAsync(string name) => WebClient.SignedInAsync(factory, SspfClient.Demo(name));

    private static string Read(Guid caseId) => $"Read/Allowed@{caseId.ToString()[..8]}";

    [Fact]
    public async Task ARefusedFormShownAgain_IsLoggedAsARead_At400AsAt200()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId);
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString()!;
        var coordinator = await SignedInAsync("samordnare");
        var social = await SignedInAsync("socialsekreterare");
        var closeUrl = $"/arenden/{caseId}/avsluta";
        var consentUrl = $"/arenden/{caseId}/samtycken/{consentId}";
        var (_, closePage) = await coordinator.GetAsync(closeUrl);
        var (_, consentPage) = await social.GetAsync(consentUrl);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();

        // A close without a reason: 400, the case's page again — a read.
        var (close, closeHtml) = await coordinator.PostFromAsync(closeUrl, closePage);
        Assert.Equal(HttpStatusCode.BadRequest, close.StatusCode);
        Assert.Contains($"Avsluta ärende {caseNumber}", closeHtml);
        Assert.Equal([Read(caseId)], (await trail.NewAsync()).Events.Select(e => e.ToString()));

        // The youth under 15 answering: the domain's refusal on the consent page again, answered 200 — a read as well.
        var (answer, answerHtml) = await social.PostFromAsync(consentUrl + "?handler=Answer", consentPage,
            ("Signer", "Youth"), ("Given", "true"), ("Form", "Written"), ("DocumentRef", "Blankett 1"), ("ObtainedBy", "Socialtjanst"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Ungdomen är under 15 år; samtycket lämnas av vårdnadshavarna.", answerHtml);
        Assert.Equal([Read(caseId)], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        Assert.NotEqual("Closed", await scenario.CaseStateAsync(caseId));
        await scenario.AssertUnansweredAsync(caseId, consentId);
    }

    [Fact]
    public async Task APostedIdField_CannotRedirectTheHandler_OrTheLog_ToAnotherCase()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var elsewhere = await scenario.OpenCaseAsync(age: 14, municipality: "falkoping");
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString()!;
        var coordinator = await SignedInAsync("samordnare");
        var closeUrl = $"/arenden/{caseId}/avsluta";
        var (_, closePage) = await coordinator.GetAsync(closeUrl);
        var stateBefore = await scenario.CaseStateAsync(caseId);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();

        // The form names another municipality's case: the handler still works on the case in the address (here: a refusal
        // for the missing reason, shown with this case), and the log names that case — no Refused event for a probe the
        // log would have put on this case instead of the one probed.
        var (refused, refusedHtml) = await coordinator.PostFromAsync(closeUrl, closePage, ("id", elsewhere.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"Avsluta ärende {caseNumber}", refusedHtml);
        Assert.Equal([Read(caseId)], (await trail.NewAsync()).Events.Select(e => e.ToString()));

        // With a reason, the close is of the case in the address, and only of it.
        var (closed, _) = await coordinator.PostFromAsync(closeUrl, closePage, ("id", elsewhere.ToString()), ("CloseReason", "GoalsReached"));
        closed.RedirectsTo($"/arenden/{caseId}");
        Assert.Equal("Closed", await scenario.CaseStateAsync(caseId));
        Assert.NotEqual("Closed", stateBefore);
        var other = await (await scenario.As("samordnare", "falkoping")).Http.GetAsync($"/api/cases/{elsewhere}");
        Assert.NotEqual("Closed", (await other.JsonAsync()).GetProperty("state").GetString());
    }
}
