using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>Loggkontroll for the Granskare: the log of the own municipality, non-member access, volume outliers.</summary>
public sealed class LoggkontrollTests : AuditLogHarness
{
    /// <summary>A second coordinator of Falkenberg, created by the administrator: sees every case of the municipality without being a member.</summary>
    private async Task<(SspfClient Client, Guid Id)> SecondCoordinatorAsync()
    {
        var admin = await Scenario.As("admin");
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "samordnare2@falkenberg.example", displayName = "Andra samordnaren", unitId, roles = new[] { "Samordnare" },
            initialPassword = "Start-losenord-2026",
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await Admin.AdminSteps.ApproveAsync(await Scenario.As(Admin.AdminSteps.SecondAdmin), created);
        var client = Factory.CreateSspfClient();
        await client.SignInAsync("samordnare2@falkenberg.example", "Start-losenord-2026");
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
        var literal = Postgres ? $"'{falkoping}'" : $"'{falkoping.ToString().ToUpperInvariant()}'";
        Assert.Equal(1, await Raw.ExecuteAsync($"""INSERT INTO "UnitMunicipality" ("UnitId", "MunicipalityId") VALUES ('{unit}', {literal})"""));

        var officer = await Scenario.As("polis");
        Assert.Equal(2, (await (await officer.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("municipalities").GetArrayLength());
        Assert.False((await officer.Http.GetAsync($"/api/cases/{theirs}")).IsSuccessStatusCode);
        Assert.False((await officer.Http.GetAsync($"/api/cases/{ours}")).IsSuccessStatusCode);
        var onTheirs = await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "CaseId" = {(Postgres ? $"'{theirs}'" : $"'{theirs.ToString().ToUpperInvariant()}'")} AND "MunicipalityId" IS NULL""");
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
