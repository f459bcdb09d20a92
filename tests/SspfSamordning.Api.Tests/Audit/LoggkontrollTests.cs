using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>Loggkontroll for the Granskare: the log of the own municipality, non-member access, volume outliers.</summary>
public sealed class LoggkontrollTests : AuditLogHarness
{
    /// <summary>A second coordinator of Falkenberg, created by the administrator: sees every case of the municipality without being a member.</summary>
    private Task<(SspfClient Client, Guid Id)> SecondCoordinatorAsync() => SecondAsync("samordnare", "Samordnare");

    /// <summary>A second user with <paramref name="role"/>, in the unit of the demo's <paramref name="template"/>, signed in.</summary>
    private async Task<(SspfClient Client, Guid Id)> SecondAsync(string template, string role)
    {
        var admin = await Scenario.As("admin");
        var unitId = (await (await (await Scenario.As(template)).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var email = $"{template}2@falkenberg.example";
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email, displayName = "Andra " + template, unitId, roles = new[] { role }, initialPassword = "Start-losenord-2026",
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await Admin.AdminSteps.ApproveAsync(await Scenario.As(Admin.AdminSteps.SecondAdmin), created);
        var client = Factory.CreateSspfClient();
        await client.SignInAsync(email, "Start-losenord-2026");
        return (client, body.GetProperty("id").GetGuid());
    }

    private async Task<List<System.Text.Json.JsonElement>> ReportAsync(string report)
    {
        var response = await (await Scenario.As("granskare")).Http.GetAsync($"/api/audit/reports/{report}?pageSize=100");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task Events_OfAnotherMunicipalitysCase_AreNotShownToTheGranskare()
    {
        var ours = await Scenario.OpenCaseAsync();
        var theirs = await Scenario.OpenCaseAsync(municipality: "falkoping");
        await (await Scenario.As("samordnare", "falkoping")).Http.GetAsync($"/api/cases/{theirs}");

        Assert.NotEmpty(await EventsAsync(ours));
        Assert.Empty(await EventsAsync(theirs));
        Assert.Empty(await EventsAsync(userId: await Scenario.UserIdAsync("samordnare", "falkoping")));
    }

    /// <summary>
    /// A user of a unit serving Falkenberg and Falköping logs events without a municipality: those naming a Falköping case
    /// belong to Falköping, and the Granskare of Falkenberg does not see them — but still sees the user's other events.
    /// </summary>
    [Fact]
    public async Task Events_OfAMultiMunicipalityUser_OnAnotherMunicipalitysCase_AreNotShownToTheGranskare()
    {
        var ours = await Scenario.OpenCaseAsync();
        var theirs = await Scenario.OpenCaseAsync(municipality: "falkoping");
        var police = await Scenario.UserIdAsync("polis");
        var unit = (await Raw.ScalarAsync("""SELECT "UnitId" FROM "AspNetUsers" WHERE "Email" = 'polis@falkenberg.example'"""))!;
        var falkoping = await Scenario.MunicipalityIdAsync("falkoping");
        var literal = Factory.Sql.Literal(falkoping);
        Assert.Equal(1, await Raw.ExecuteAsync($"""INSERT INTO "UnitMunicipality" ("UnitId", "MunicipalityId") VALUES ('{unit}', {literal})"""));

        var officer = await Scenario.As("polis");
        Assert.Equal(2, (await (await officer.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("municipalities").GetArrayLength());
        Assert.False((await officer.Http.GetAsync($"/api/cases/{theirs}")).IsSuccessStatusCode);
        Assert.False((await officer.Http.GetAsync($"/api/cases/{ours}")).IsSuccessStatusCode);
        var onTheirs = await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "CaseId" = {Factory.Sql.Literal(theirs)} AND "MunicipalityId" IS NULL""");
        Assert.NotEqual("0", onTheirs); // logged, without a municipality

        Assert.Empty(await EventsAsync(theirs));
        var byPolice = await EventsAsync(userId: police);
        Assert.Contains(byPolice, e => e.GetProperty("caseId").ValueKind != System.Text.Json.JsonValueKind.Null && e.GetProperty("caseId").GetGuid() == ours);
        Assert.DoesNotContain(byPolice, e => e.GetProperty("caseId").ValueKind != System.Text.Json.JsonValueKind.Null && e.GetProperty("caseId").GetGuid() == theirs);
    }

    [Fact]
    public async Task NonMemberAccess_ListsReadsByUsersOutsideTheTeam_NotByMembersOrTheCoordinator()
    {
        var caseId = await Scenario.OpenCaseAsync();
        await Scenario.AddMemberAsync(caseId, "socialsekreterare");
        await (await (await Scenario.As("socialsekreterare")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await (await Scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await (await Scenario.As("polis")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        var (other, otherId) = await SecondCoordinatorAsync();
        await (await other.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var flagged = await ReportAsync("non-member-access");

        var only = Assert.Single(flagged);
        Assert.Equal(otherId, only.GetProperty("actorUserId").GetGuid());
        Assert.Equal(caseId, only.GetProperty("caseId").GetGuid());
        Assert.Equal("Read", only.GetProperty("action").GetString());
    }

    /// <summary>
    /// Issue 16: each read is judged by the membership at its time. A second coordinator (who may read every case of the
    /// municipality, member or not) reads while a member, is removed and reads, is added again and reads: only the read
    /// in between is flagged. Reads before a user was added stay non-member reads once they are added.
    /// </summary>
    [Fact]
    public async Task NonMemberAccess_JudgesEachReadByTheMembershipAtItsTime()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var laterCase = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        var (other, otherId) = await SecondCoordinatorAsync();
        async Task ReadAsync(Guid id)
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(20));
            await (await other.Http.GetAsync($"/api/cases/{id}")).EnsureStatusAsync(HttpStatusCode.OK);
        }
        async Task MembershipAsync(Guid id, bool add)
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(20));
            var response = add
                ? await coordinator.Http.PostAsJsonAsync($"/api/cases/{id}/members", new { userId = otherId })
                : await coordinator.Http.DeleteAsync($"/api/cases/{id}/members/{otherId}");
            await response.EnsureStatusAsync(add ? HttpStatusCode.Created : HttpStatusCode.NoContent);
        }

        await MembershipAsync(caseId, add: true);
        await ReadAsync(caseId);                      // member
        await MembershipAsync(caseId, add: false);
        await ReadAsync(caseId);                      // not a member: flagged
        await MembershipAsync(caseId, add: true);
        await ReadAsync(caseId);                      // member again
        await ReadAsync(laterCase);                   // not yet a member: flagged
        await MembershipAsync(laterCase, add: true);  // ... and adding them later does not change that
        await ReadAsync(laterCase);                   // member

        var flagged = (await ReportAsync("non-member-access")).Where(e => e.GetProperty("actorUserId").GetGuid() == otherId).ToList();
        var reads = (await EventsAsync(userId: otherId)).Where(e => Action(e) == "Read").ToList();
        Assert.Equal(5, reads.Count);
        Assert.Equal([reads[1].GetProperty("id").GetGuid(), reads[3].GetProperty("id").GetGuid()], flagged.Select(e => e.GetProperty("id").GetGuid()));
        Assert.Equal([caseId, laterCase], flagged.Select(e => e.GetProperty("caseId").GetGuid()));
    }

    /// <summary>Issue 16: the Granskare's own queries of the log are access-log events: who looked at whose trail, with which filter.</summary>
    [Fact]
    public async Task GranskaresQueries_AreThemselvesLogged_WithWhoseTrailAndTheFilter()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var auditor = await Scenario.As("granskare");
        var auditorId = await Scenario.UserIdAsync("granskare");
        var police = await Scenario.UserIdAsync("polis");
        await (await auditor.Http.GetAsync($"/api/audit/events?caseId={caseId}&userId={police}&pageSize=10&name=Kim%20Testsson")).EnsureStatusAsync(HttpStatusCode.OK);
        // The first query's event lies in the case's stripe, the second's in the Granskare's: ordered by time alone.
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await auditor.Http.GetAsync("/api/audit/reports/non-member-access?from=2020-01-01T00:00:00Z")).EnsureStatusAsync(HttpStatusCode.OK);
        // A refused query (not a Granskare) is a refusal, not a query; a query that does not bind (400) read nothing.
        await (await (await Scenario.As("samordnare")).Http.GetAsync($"/api/audit/events?caseId={caseId}")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await auditor.Http.GetAsync("/api/audit/events?page=x")).EnsureStatusAsync(HttpStatusCode.BadRequest);

        var queries = (await EventsAsync(userId: auditorId)).Where(e => Action(e) == "AuditQuery").ToList();

        Assert.Equal(2, queries.Count);
        var onTrail = queries[0];
        Assert.Equal(caseId, onTrail.GetProperty("caseId").GetGuid());   // whose trail: the case ...
        Assert.Equal(police, onTrail.GetProperty("entityId").GetGuid()); // ... and the user
        Assert.Equal("AccessLog", onTrail.GetProperty("entityType").GetString());
        Assert.Equal($"/api/audit/events?caseId={caseId}&userId={police}&pageSize=10", onTrail.GetProperty("purpose").GetString());
        Assert.Equal("Allowed", onTrail.GetProperty("decision").GetString());
        Assert.Equal("/api/audit/reports/non-member-access?from=2020-01-01T00:00:00Z", queries[1].GetProperty("purpose").GetString());
        Assert.Equal(JsonValueKind.Null, queries[1].GetProperty("caseId").ValueKind);
        // The case's own trail shows that the Granskare looked at it; no query names the unknown parameter's value.
        Assert.Contains(await EventsAsync(caseId), e => Action(e) == "AuditQuery" && e.GetProperty("actorUserId").GetGuid() == auditorId);
        Assert.DoesNotContain(await EventsAsync(userId: auditorId), e => e.GetProperty("purpose").ToString().Contains("Kim", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("to=0001-01-01T00:00:00Z", "to")]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    public async Task VolumeOutliers_APeriodBeforeTheYear2000_IsA400NamingIt(string query, string field)
    {
        // The default start, 30 days before the end, was computed before year 1 and answered 500.
        var response = await (await Scenario.As("granskare")).Http.GetAsync($"/api/audit/reports/volume-outliers?{query}");
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task VolumeOutliers_FlagAUserReadingFarMoreThanPeersWithTheSameRoles()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        for (var i = 0; i < 2; i++) await coordinator.Http.GetAsync($"/api/cases/{caseId}");
        var (other, otherId) = await SecondCoordinatorAsync();
        for (var i = 0; i < 25; i++) await (await other.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var outliers = await ReportAsync("volume-outliers");

        var only = Assert.Single(outliers);
        Assert.Equal(otherId, only.GetProperty("userId").GetGuid());
        Assert.Equal(25, only.GetProperty("reads").GetInt32());
        Assert.Equal(1, only.GetProperty("peers").GetInt32());
    }

    /// <summary>A concern report's content is logged by the report, usually with no case: its reads count in the volume report too.</summary>
    [Fact]
    public async Task VolumeOutliers_CountReadsOfConcernReports()
    {
        var reportId = await ConcernReports.ConcernReportSteps.FileAsync(Scenario);
        var social = await Scenario.As("socialsekreterare");
        await (await social.Http.GetAsync($"/api/concern-reports/{reportId}")).EnsureStatusAsync(HttpStatusCode.OK);
        var (other, otherId) = await SecondAsync("socialsekreterare", "Socialsekreterare");
        for (var i = 0; i < 25; i++) await (await other.Http.GetAsync($"/api/concern-reports/{reportId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var only = Assert.Single(await ReportAsync("volume-outliers"));
        Assert.Equal(otherId, only.GetProperty("userId").GetGuid());
        Assert.True(only.GetProperty("reads").GetInt32() >= 25);
    }

    [Fact]
    public async Task VolumeOutliers_NoOneIsFlagged_WhenPeersReadAlike()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var coordinator = await Scenario.As("samordnare");
        var (other, _) = await SecondCoordinatorAsync();
        for (var i = 0; i < 21; i++)
        {
            await coordinator.Http.GetAsync($"/api/cases/{caseId}");
            await other.Http.GetAsync($"/api/cases/{caseId}");
        }

        Assert.Empty(await ReportAsync("volume-outliers"));
    }
}
