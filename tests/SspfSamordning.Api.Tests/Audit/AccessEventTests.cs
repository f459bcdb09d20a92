using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

public sealed class AccessEventTests : AuditLogHarness
{
    [Fact]
    public async Task GetCase_WritesExactlyOneReadEvent_ByTheCaller()
    {
        var caseId = await Scenario.OpenCaseAsync();
        Assert.DoesNotContain(await EventsAsync(caseId), e => Action(e) == "Read");

        var coordinator = await Scenario.As("samordnare");
        await (await coordinator.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var read = Assert.Single(await EventsAsync(caseId), e => Action(e) == "Read");
        Assert.Equal(await Scenario.UserIdAsync("samordnare"), read.GetProperty("actorUserId").GetGuid());
        Assert.Equal("Allowed", read.GetProperty("decision").GetString());
        Assert.Equal("Samordnare", read.GetProperty("roles").GetString());
        Assert.NotEqual("", read.GetProperty("categories").GetString());
        Assert.NotEqual("", read.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task GetCase_WhenTheReadCannotBeLogged_Is500WithoutTheData()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await FailEveryAsync("INSERT", "AccessEvents");

        var response = await coordinator.Http.GetAsync($"/api/cases/{caseId}");

        await response.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("Testsson", await response.Content.ReadAsStringAsync());
        await StopFailingAsync("AccessEvents");
    }

    [Fact]
    public async Task ListCases_WritesOneListEventPerListedCase()
    {
        var first = await Scenario.OpenCaseAsync(age: 13);
        var second = await Scenario.OpenCaseAsync(age: 15);
        var coordinator = await Scenario.As("samordnare");

        var list = await (await coordinator.Http.GetAsync("/api/cases?pageSize=100")).JsonAsync();
        var listed = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(first, listed);
        Assert.Contains(second, listed);

        var events = (await EventsAsync()).Where(e => Action(e) == "List").ToList();
        Assert.Equal(listed.Order(), events.Select(e => e.GetProperty("caseId").GetGuid()).Order());
    }

    [Fact]
    public async Task SearchByPersonnummer_WritesASearchEventPerMatch()
    {
        var personnummer = TestPersonnummer.AgedOn(14, Factory.Clock.GetUtcNow());
        var caseId = await Scenario.OpenCaseAsync(personnummer: personnummer);
        var coordinator = await Scenario.As("samordnare");

        var response = await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer });
        await response.EnsureStatusAsync(HttpStatusCode.OK);

        Assert.Single(await EventsAsync(caseId), e => Action(e) == "Search");
    }

    [Fact]
    public async Task ConcernReports_ListAndRead_WriteAnEventPerReport()
    {
        var reportId = await ConcernReports.ConcernReportSteps.FileAsync(Scenario);
        var social = await Scenario.As("socialsekreterare");

        var listed = await (await social.Http.GetAsync("/api/concern-reports?pageSize=100")).JsonAsync();
        Assert.Contains(reportId, listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        await (await social.Http.GetAsync($"/api/concern-reports/{reportId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var ofReport = (await EventsAsync()).Where(e => e.GetProperty("entityType").GetString() == "ConcernReport"
            && e.GetProperty("entityId").GetGuid() == reportId).Select(Action).Where(a => a != "Transition").ToList();
        Assert.Equal(["Create", "List", "Read"], ofReport);
    }

    [Fact]
    public async Task GetCase_InvisibleToTheCaller_Is404AndWritesARefusedEvent()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var police = await Scenario.As("polis");

        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        var refused = Assert.Single(await EventsAsync(caseId), e => Action(e) == "Refused");
        Assert.Equal(await Scenario.UserIdAsync("polis"), refused.GetProperty("actorUserId").GetGuid());
        Assert.Equal("Refused", refused.GetProperty("decision").GetString());
        Assert.DoesNotContain(await EventsAsync(caseId), e => Action(e) == "Read");
    }

    [Fact]
    public async Task CloseCase_WritesOneChangeAndItsTransitions_InOneSave()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var opened = await EventsAsync(caseId);
        Assert.Equal("Create", Action(opened[0]));

        var close = await (await Scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            new { trigger = "Close", closeReason = "GoalsReached", closeComment = "Klart." });
        await close.EnsureStatusAsync(HttpStatusCode.OK);

        // The Granskare's look at the trail above is on the trail itself (AuditQuery): not part of the save.
        var written = (await EventsAsync(caseId)).Skip(opened.Count).Where(e => Action(e) is not ("Read" or "AuditQuery")).ToList();
        Assert.Equal("Change", Action(written[0]));
        Assert.True(written.Count >= 2 && written.Skip(1).All(e => Action(e) == "Transition"), string.Join(",", written.Select(Action)));
        // One save: consecutive places in the chain, one request.
        var sequences = written.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
        Assert.Single(written.Select(e => e.GetProperty("correlationId").GetString()).Distinct());
    }

    /// <summary>
    /// The events a save records from the change (Change, Transition) come from the scope's audit context: the request's
    /// caller, at the app's clock. The context gets that audit context through its constructor, since its options are
    /// built once per process and see only the root provider (Database.AddSspfDatabase); a context that fell back to an
    /// audit context of its own would stamp the machine's time, not the app's TimeProvider (the tests' clock here).
    /// </summary>
    [Fact]
    public async Task RecordedChangeEvents_NameTheRequestsCaller_AtTheAppsClock()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        var caller = await Scenario.UserIdAsync("samordnare");
        foreach (object body in new object[] { new { trigger = "Close", closeReason = "GoalsReached", closeComment = "Klart." }, new { trigger = "Reopen" } })
        {
            var before = (await EventsAsync(caseId)).Count;
            var answer = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", body);
            await answer.EnsureStatusAsync(HttpStatusCode.OK);
            var written = (await EventsAsync(caseId)).Skip(before).Where(e => Action(e) is "Change" or "Transition").ToList();
            Assert.Contains(written, e => Action(e) == "Change");
            Assert.All(written, e =>
            {
                Assert.Equal(caller, e.GetProperty("actorUserId").GetGuid());
                Assert.Equal("Samordnare", e.GetProperty("roles").GetString());
                Assert.Equal(AccessEvent.Instant(Factory.Clock.GetUtcNow()), e.GetProperty("at").GetDateTimeOffset());
            });
        }
    }

    [Fact]
    public async Task CloseCase_WhenTheSaveFails_WritesNeitherChangeNorTransition()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        var before = (await EventsAsync(caseId)).Count(e => Action(e) is "Change" or "Transition");
        await FailEveryAsync("UPDATE", "Cases");

        var close = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "GoalsReached" });

        await close.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        await StopFailingAsync("Cases");
        Assert.Equal(before, (await EventsAsync(caseId)).Count(e => Action(e) is "Change" or "Transition"));
    }

    [Fact]
    public async Task CloseCase_WhenTheLogCannotBeWritten_TheChangeIsNotSaved()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        await FailEveryAsync("INSERT", "AccessEvents");

        var close = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "GoalsReached" });

        await close.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        await StopFailingAsync("AccessEvents");
        Assert.Equal("Opened", (await Scenario.GetCaseAsync(caseId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Login_WritesSuccessAndFailure_WithoutPersonalData()
    {
        var client = Factory.CreateSspfClient();
        const string unknown = "nobody-at-all@falkenberg.example";
        await (await client.TokenAsync(unknown)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.TokenAsync(SspfClient.Demo("skola"), "wrong-password-123")).EnsureOAuthErrorAsync("invalid_grant");
        await Scenario.As("skola");
        var school = await Scenario.UserIdAsync("skola");

        var events = await EventsAsync();
        var failed = events.Where(e => Action(e) == "LoginFailed").ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal(JsonValueKindNull, failed[0].GetProperty("actorUserId").ValueKind);
        Assert.Equal(school, failed[1].GetProperty("actorUserId").GetGuid());
        Assert.Contains(events, e => Action(e) == "LoginSucceeded" && e.GetProperty("actorUserId").GetGuid() == school);
        Assert.DoesNotContain(await Raw.AllValuesAsync(), v => v.Table == "AccessEvents" && v.Value.Contains('@'));
    }

    [Fact]
    public async Task Login_RepeatedFailures_WriteALockedOutEvent()
    {
        var client = Factory.CreateSspfClient();
        for (var i = 0; i < 3; i++)
            await (await client.TokenAsync(SspfClient.Demo("fritid"), "wrong-password-123")).EnsureOAuthErrorAsync("invalid_grant");

        Assert.Single(await EventsAsync(), e => Action(e) == "LockedOut");
    }

    [Fact]
    public async Task NoEvent_ContainsThePersonalDataOfTheCase()
    {
        var personnummer = TestPersonnummer.AgedOn(14, Factory.Clock.GetUtcNow());
        var caseId = await Scenario.OpenCaseAsync(personnummer: personnummer);
        var coordinator = await Scenario.As("samordnare");
        await coordinator.Http.GetAsync($"/api/cases/{caseId}");
        await coordinator.Http.GetAsync("/api/cases");
        await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer });
        await (await Scenario.As("polis")).Http.GetAsync($"/api/cases/{caseId}");

        var logged = (await Raw.AllValuesAsync()).Where(v => v.Table == "AccessEvents").Select(v => v.Value).ToList();
        Assert.True(logged.Count > 50, $"only {logged.Count} values logged");
        foreach (var personal in new[] { personnummer, personnummer[2..], "Testsson", "Kim", "Storgatan", "Tångaskolan", "@" })
            Assert.DoesNotContain(logged, v => v.Contains(personal, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PolicyRefusal_BeforeTheEndpointRuns_WritesARefusedEventForTheCase()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var analyst = await Scenario.As("analytiker");

        await (await analyst.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.Forbidden);

        var refused = Assert.Single(await EventsAsync(caseId), e => Action(e) == "Refused");
        Assert.Equal(await Scenario.UserIdAsync("analytiker"), refused.GetProperty("actorUserId").GetGuid());
        Assert.Equal("Analytiker", refused.GetProperty("roles").GetString());
        Assert.Equal("Refused", refused.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task PasswordChange_WritesOneEvent_AndAWrongCurrentPasswordAFailedSignIn()
    {
        var school = await Scenario.As("skola");
        var schoolId = await Scenario.UserIdAsync("skola");
        var before = (await EventsAsync(userId: schoolId)).Count; // the sign-in and the enrolment of the second factor
        await (await school.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Fel-losenord-2026", newPassword = "Nytt-losenord-2026!" }))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);
        await (await school.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "Nytt-losenord-2026!" }))
            .EnsureStatusAsync(HttpStatusCode.NoContent);

        var mine = (await EventsAsync(userId: schoolId)).Skip(before).Select(Action).ToList();
        Assert.Equal(["LoginFailed", "PasswordChanged"], mine);
    }

    [Fact]
    public async Task WrongCurrentPassword_UntilLocked_WritesTheLockout()
    {
        var leisure = await Scenario.As("fritid");
        var leisureId = await Scenario.UserIdAsync("fritid");
        var before = (await EventsAsync(userId: leisureId)).Count;
        for (var i = 0; i < 3; i++)
            await (await leisure.Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = "Fel-losenord-2026" })).EnsureStatusAsync(HttpStatusCode.BadRequest);

        var mine = (await EventsAsync(userId: leisureId)).Skip(before).Select(Action).ToList();
        Assert.Equal(["LoginFailed", "LoginFailed", "LoginFailed", "LockedOut"], mine);
    }

    [Fact]
    public async Task AdminChanges_AreLogged_WithTheAccountsIdOnly()
    {
        var admin = await Scenario.As("admin");
        var analystId = await Scenario.UserIdAsync("analytiker");
        var requested = await admin.Http.PutAsJsonAsync($"/api/admin/users/{analystId}/roles", new { roles = new[] { "Granskare" } });
        await requested.EnsureStatusAsync(HttpStatusCode.Accepted);
        // The two administrators' events lie in their own stripes, ordered among each other by time alone: let it pass.
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await Admin.AdminSteps.ApproveAsync(await Scenario.As(Admin.AdminSteps.SecondAdmin), requested);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await admin.Http.PostAsync($"/api/admin/users/{analystId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        var changes = (await EventsAsync()).Where(e => Action(e) == "AccountChanged").ToList();
        Assert.Equal(["RoleGrantRequested", "RoleGrantApproved", "Disabled"], changes.Select(e => e.GetProperty("purpose").GetString()));
        Assert.All(changes, e => Assert.Equal(analystId, e.GetProperty("entityId").GetGuid()));
        var adminId = await Scenario.UserIdAsync("admin");
        var secondAdminId = await Scenario.UserIdAsync(Admin.AdminSteps.SecondAdmin);
        Assert.Equal([adminId, secondAdminId, adminId], changes.Select(e => e.GetProperty("actorUserId").GetGuid()));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
