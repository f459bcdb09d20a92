using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

public sealed class CaseTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task OpenCase_AsCoordinator_CreatesOpenedCaseWithNumber()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await scenario.OpenCaseResponseAsync(TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow()));
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        Assert.Equal($"/api/cases/{body.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("Opened", body.GetProperty("state").GetString());
        Assert.Matches(@"^SSPF-2026-\d{4}$", body.GetProperty("caseNumber").GetString());
        Assert.Equal(2, body.GetProperty("guardians").GetArrayLength());
        Assert.Equal(["Close"], body.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task OpenCase_SameYouthTwice_Is409WithExistingCaseId()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(16, factory.Clock.GetUtcNow());
        var first = await scenario.OpenCaseAsync(personnummer: personnummer);

        // The ten-digit form with a hyphen is the same person.
        var tenDigits = personnummer[2..8] + "-" + personnummer[8..];
        var second = await scenario.OpenCaseResponseAsync(tenDigits);
        await second.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await second.JsonAsync();
        Assert.Equal("DuplicateOpenCase", problem.GetProperty("code").GetString());
        Assert.Equal(first, problem.GetProperty("existingCaseId").GetGuid());
    }

    [Fact]
    public async Task OpenCase_SameYouthInAnotherMunicipality_IsAllowed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(15, factory.Clock.GetUtcNow());
        await scenario.OpenCaseAsync(personnummer: personnummer);
        await scenario.OpenCaseAsync(personnummer: personnummer, municipality: "falkoping");
    }

    [Fact]
    public async Task OpenCase_InvalidBody_Is400WithFieldErrorsAndCreatesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var before = (await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync()).GetProperty("totalCount").GetInt32();

        var missing = await coordinator.Http.PostAsJsonAsync("/api/cases", new { municipalityId = Guid.NewGuid() });
        await missing.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await missing.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "municipalityId", "youth", "signalCategory", "proposedParties", "guardians" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        var badLuhn = await scenario.OpenCaseResponseAsync("201001011234");
        await badLuhn.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await badLuhn.JsonAsync()).GetProperty("errors").TryGetProperty("youth.personnummer", out _));

        var smuggled = await coordinator.Http.PostAsJsonAsync("/api/cases", new { state = "Active" });
        await smuggled.EnsureStatusAsync(HttpStatusCode.BadRequest);

        var after = (await (await coordinator.Http.GetAsync("/api/cases")).JsonAsync()).GetProperty("totalCount").GetInt32();
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("socialsekreterare")]
    [InlineData("polis")]
    [InlineData("skola")]
    public async Task OpenCase_NotCoordinator_Is403(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var client = await scenario.As(name);
        var response = await client.Http.PostAsJsonAsync("/api/cases", new { });
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task NonMember_GetsNotFound_AndMemberWithoutConsentToo()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var police = await scenario.As("polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/history")).EnsureStatusAsync(HttpStatusCode.NotFound);

        await scenario.AddMemberAsync(caseId, "polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Socialtjänst sees its cases as a member, consent or not.
        var social = await scenario.As("socialsekreterare");
        await (await social.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        await (await social.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CoordinatorOfAnotherMunicipality_NeverSeesTheCase()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(13, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        var other = await scenario.As("samordnare", "falkoping");

        await (await other.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        var list = await (await other.Http.GetAsync("/api/cases")).JsonAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == caseId);
        var search = await (await other.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer })).JsonAsync();
        Assert.Equal(0, search.GetProperty("totalCount").GetInt32());
        await (await other.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "Other" }))
            .EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListAndSearch_ShowOnlyVisibleCases_Paged()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(17, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        var coordinator = await scenario.As("samordnare");

        var page = await (await coordinator.Http.GetAsync("/api/cases?state=Opened&pageSize=1")).JsonAsync();
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("totalCount").GetInt32() >= 1);
        await (await coordinator.Http.GetAsync("/api/cases?pageSize=101")).EnsureStatusAsync(HttpStatusCode.BadRequest);
        // A page whose offset would not fit the databases' integer (it wrapped to a negative OFFSET: 500) is a 400 naming it.
        foreach (var list in new[] { "/api/cases", $"/api/cases/{caseId}/history", "/api/staff", "/api/me/tasks" })
        {
            var beyond = await coordinator.Http.GetAsync($"{list}?page=21474838&pageSize=100");
            await beyond.EnsureStatusAsync(HttpStatusCode.BadRequest);
            Assert.True((await beyond.JsonAsync()).GetProperty("errors").TryGetProperty("page", out _), list);
        }
        await (await coordinator.Http.GetAsync($"/api/cases?page={SspfSamordning.Api.Infrastructure.Http.Paging.MaxPage}&pageSize=100")).EnsureStatusAsync(HttpStatusCode.OK);

        var found = await (await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer = personnummer[2..] })).JsonAsync();
        Assert.Equal(caseId, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        var police = await scenario.As("polis");
        var policeSearch = await (await police.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer })).JsonAsync();
        Assert.Equal(0, policeSearch.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Close_RecordsHistory_AndRefusedTriggerIs409WithPermittedTriggers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var coordinator = await scenario.As("samordnare");

        var missingReason = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close" });
        await missingReason.EnsureStatusAsync(HttpStatusCode.BadRequest);

        // One name for one thing: the comment is closeComment in the request and in the case; reason (Reopen's) is refused on Close.
        var misnamed = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "NotRelevant", reason = "Bedömt ej aktuellt" });
        await misnamed.EnsureFieldErrorsAsync("reason");
        // A comment too long is named as the request names it.
        var tooLong = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "NotRelevant", closeComment = new string('x', 4001) });
        await tooLong.EnsureFieldErrorsAsync("closeComment");
        Assert.Equal("Opened", await scenario.CaseStateAsync(caseId));

        var closed = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "NotRelevant", closeComment = "Bedömt ej aktuellt" });
        await closed.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Closed", (await closed.JsonAsync()).GetProperty("state").GetString());
        var detail = await scenario.GetCaseAsync(caseId);
        Assert.Equal("NotRelevant", detail.GetProperty("closeReason").GetString());
        Assert.Equal("Bedömt ej aktuellt", detail.GetProperty("closeComment").GetString());
        var reopenWithCloseField = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Reopen", closeComment = "x" });
        await reopenWithCloseField.EnsureFieldErrorsAsync("closeComment");

        var again = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "Other" });
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await again.JsonAsync();
        Assert.Equal("Closed", problem.GetProperty("currentState").GetString());
        Assert.Equal(["Reopen"], problem.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));

        var history = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/history")).JsonAsync();
        var close = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("Opened", close.GetProperty("from").GetString());
        Assert.Equal("Closed", close.GetProperty("to").GetString());
        Assert.Equal(await scenario.UserIdAsync("samordnare"), close.GetProperty("actorUserId").GetGuid());

        // Reopened within the period, the youth may have no other open case.
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Reopen" })).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ProtectedIdentity_IsMaskedForCoordinator()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(protectedIdentity: true);
        var detail = await scenario.GetCaseAsync(caseId);
        var youth = detail.GetProperty("youth");
        Assert.Equal("Skyddad identitet", youth.GetProperty("givenName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, youth.GetProperty("address").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, youth.GetProperty("personnummer").ValueKind);
    }

    [Fact]
    public async Task Members_AddTwiceIsConflict_AndUnknownUserIs400()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var coordinator = await scenario.As("samordnare");
        await scenario.AddMemberAsync(caseId, "skola");
        var twice = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = await scenario.UserIdAsync("skola") });
        await twice.EnsureStatusAsync(HttpStatusCode.Conflict);
        var unknown = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = Guid.NewGuid() });
        await unknown.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var granskare = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = await scenario.UserIdAsync("granskare") });
        await granskare.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var otherMunicipality = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = await scenario.UserIdAsync("samordnare", "falkoping") });
        await otherMunicipality.EnsureStatusAsync(HttpStatusCode.BadRequest);

        var removed = await coordinator.Http.DeleteAsync($"/api/cases/{caseId}/members/{await scenario.UserIdAsync("skola")}");
        await removed.EnsureStatusAsync(HttpStatusCode.NoContent);
        var detail = await scenario.GetCaseAsync(caseId);
        Assert.Equal(0, detail.GetProperty("members").GetArrayLength());
    }
}
