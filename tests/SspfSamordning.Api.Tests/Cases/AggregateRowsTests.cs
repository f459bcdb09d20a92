using System.Collections;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Interventions;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>
/// Issue 22, round eighteen: a read's aggregate comes from <see cref="AggregateRows"/> (a SELECT per table in one command,
/// built by EF's materializers) instead of EF's query. It must be the very object graph EF's query builds — every field of
/// every entity, private and backing fields included, every collection in EF's order — on each provider.
/// </summary>
public sealed class AggregateRowsTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task TheAggregate_IsTheGraphEfsQueryBuilds_FieldForField()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var full = await FullCaseAsync(factory, scenario);
        var young = await scenario.OpenCaseAsync();

        var (hand, ef) = await BothAsync(full);
        // Every kind of row is there, so that every table's reading is compared.
        Assert.NotEmpty(hand.Guardians);
        Assert.NotEmpty(Assert.Single(hand.Consents).Answers);
        Assert.NotEmpty(hand.Meetings);
        Assert.NotNull(hand.ActionPlan);
        Assert.Equal(2, hand.Interventions.Count);
        Assert.Contains(hand.FollowUps, f => f.Assessments.Count > 0);
        Assert.NotEmpty(hand.Disclosures);
        Assert.Equal(3, hand.Members.Count);
        Assert.Empty(Differences(ef, hand, out var compared));
        Assert.True(compared > 150, $"{compared} values compared");

        // A case just opened (empty collections, no plan) and the full one closed with a comment.
        var (handYoung, efYoung) = await BothAsync(young);
        Assert.Empty(Differences(efYoung, handYoung, out _));
        await (await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{full}/transitions",
            new { trigger = "Close", closeReason = "Moved", closeComment = "Familjen har flyttat." })).EnsureStatusAsync(HttpStatusCode.OK);
        var (handClosed, efClosed) = await BothAsync(full);
        Assert.Equal("Familjen har flyttat.", handClosed.CloseComment);
        Assert.Empty(Differences(efClosed, handClosed, out _));

        // The comparison can fail: two cases differ, and so does one case before and after its closing.
        Assert.NotEmpty(Differences(efYoung, hand, out _));
        Assert.NotEmpty(Differences(ef, handClosed, out _));
    }

    [Fact]
    public async Task ACaseThatIsGone_IsNull()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        Assert.Null(await AggregateRows.ReadAsync(db, Guid.NewGuid(), [], TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A case with every collection the read loads: members, guardians, a valid consent with both guardians' answers, a held
    /// meeting with the action plan, two interventions (one planned), a completed follow-up with its assessment (and the
    /// next one scheduled), a disclosure to the police.
    /// </summary>
    internal static async Task<Guid> FullCaseAsync(SspfApiFactory factory, CaseScenario scenario)
    {
        var caseId = await scenario.ActiveCaseAsync(["polis", "skola", "socialsekreterare"], [Party.Polis, Party.Skola], [InformationCategory.Basic]);
        await scenario.AdoptActionPlanAsync(factory, caseId);
        var coordinator = await scenario.As("samordnare");
        var skola = await scenario.UserIdAsync("skola");
        var planned = (await InterventionTests.ProposeAsync(coordinator, caseId, Party.Skola, skola)).GetProperty("id").GetGuid();
        await (await InterventionTests.TransitionAsync(coordinator, caseId, planned, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.OK);
        await InterventionTests.ProposeAsync(coordinator, caseId, Party.Skola, skola);
        var followUp = await FollowUpIdAsync(coordinator, caseId);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUp}/transitions", new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [planned] = "Går bra." }, overallAssessment = "Stabilt.",
        })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await (await scenario.As("socialsekreterare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/disclosures", new
        {
            legalBasis = "OSL 10 kap. 18 a §", justification = "Risk för brottslig verksamhet.", categories = new[] { "Basic" },
            decisionMaker = "Enhetschef", receivingPoliceUserId = await scenario.UserIdAsync("polis"), endsAt = factory.Clock.GetUtcNow().AddDays(30),
        })).EnsureStatusAsync(HttpStatusCode.Created);
        return caseId;
    }

    /// <summary>The case's first follow-up (the one the action plan scheduled).</summary>
    internal static async Task<Guid> FollowUpIdAsync(SspfClient client, Guid caseId)
    {
        var response = await client.Http.GetAsync($"/api/cases/{caseId}/follow-ups");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return (await response.JsonAsync()).GetProperty("items").EnumerateArray().First().GetProperty("id").GetGuid();
    }

    /// <summary>The case read by <see cref="AggregateRows"/> (the members EF's query read given to it) and by EF's own single query.</summary>
    private async Task<(Case Hand, Case Ef)> BothAsync(Guid caseId)
    {
        var ct = TestContext.Current.CancellationToken;
        Case ef;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            ef = await CaseAccess.WithChildren(db.Cases.Where(c => c.Id == caseId)).AsNoTracking().AsSingleQuery().SingleAsync(ct);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var hand = await AggregateRows.ReadAsync(db, caseId, [.. ef.Members], ct);
            Assert.NotNull(hand);
            Assert.Empty(db.ChangeTracker.Entries()); // untracked, as the read's AsNoTracking
            return (hand, ef);
        }
    }

    /// <summary>Where two object graphs differ: every instance field, public or not, compared recursively; lists element by element.</summary>
    internal static List<string> Differences(object expected, object actual, out int compared)
    {
        var differences = new List<string>();
        var count = 0;
        Compare(expected, actual, expected.GetType().Name);
        compared = count;
        return differences;

        void Compare(object? a, object? b, string path)
        {
            if (a is null || b is null)
            {
                count++;
                if (a is not null || b is not null) differences.Add($"{path}: {a ?? "null"} ≠ {b ?? "null"}");
                return;
            }
            var type = a.GetType();
            if (type != b.GetType())
            {
                differences.Add($"{path}: {type.Name} ≠ {b.GetType().Name}");
                return;
            }
            if (type.IsPrimitive || type.IsEnum || a is string or Guid or DateTimeOffset or DateTime or DateOnly or decimal)
            {
                count++;
                // DateTimeOffset's Equals ignores the offset: compare it as well.
                if (!a.Equals(b) || (a is DateTimeOffset x && x.Offset != ((DateTimeOffset)b).Offset)) differences.Add($"{path}: {a} ≠ {b}");
                return;
            }
            if (a is IList list)
            {
                var other = (IList)b;
                if (list.Count != other.Count) differences.Add($"{path}.Count: {list.Count} ≠ {other.Count}");
                else for (var i = 0; i < list.Count; i++) Compare(list[i], other[i], $"{path}[{i}]");
                return;
            }
            Assert.StartsWith("SspfSamordning.Domain", type.Namespace, StringComparison.Ordinal); // a domain object, else extend the comparison
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Compare(field.GetValue(a), field.GetValue(b), $"{path}.{field.Name}");
        }
    }
}

/// <summary>On a database of its own (the moved rows stay behind): a child row moved to another case is refused there, not shown.</summary>
public sealed class MovedChildRowTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task AConsentAnswerMovedToAnotherCasesConsent_IsReportedAsTampering_NotReturned()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var victim = await scenario.OpenCaseAsync();
        var victimsConsent = await scenario.GiveValidConsentAsync(victim);
        var other = await scenario.OpenCaseAsync();
        var othersConsent = await scenario.RequestConsentAsync(other);
        Assert.True(await new RawDatabase(factory).ExecuteAsync(
            $"UPDATE \"ConsentAnswers\" SET \"ConsentId\" = {factory.Sql.Literal(othersConsent)} WHERE \"ConsentId\" = {factory.Sql.Literal(victimsConsent)}") > 0);

        await AssertTamperedAsync(scenario, other, "Blankett 2026-17");

        // A change loads them too (tracked), and its answer would show them: refused as well, and nothing is written.
        var raw = new RawDatabase(factory);
        var answers = $"SELECT COUNT(*) FROM \"ConsentAnswers\" WHERE \"ConsentId\" = {factory.Sql.Literal(othersConsent)}";
        var before = await raw.ScalarAsync(answers);
        var answer = await scenario.AnswerAsync(other, othersConsent, "Guardian", (await GuardianIdsOfAsync(other))[0]);
        await answer.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("CiphertextTampered", (await answer.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(before, await raw.ScalarAsync(answers));
    }

    /// <summary>The case's guardians' ids, from the database (the case itself can no longer be read).</summary>
    private async Task<List<Guid>> GuardianIdsOfAsync(Guid caseId)
    {
        await using var connection = await new RawDatabase(factory).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"Id\" FROM \"Guardians\" WHERE \"CaseId\" = {factory.Sql.Literal(caseId)}";
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) ids.Add(Guid.Parse(reader.GetValue(0).ToString()!));
        return ids;
    }

    [Fact]
    public async Task AFollowUpAssessmentMovedToAnotherCasesFollowUp_IsReportedAsTampering_NotReturned()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var victim = await AggregateRowsTests.FullCaseAsync(factory, scenario);
        var other = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], [InformationCategory.Basic]);
        await scenario.AdoptActionPlanAsync(factory, other);
        var coordinator = await scenario.As("samordnare");
        var completed = await AggregateRowsTests.FollowUpIdAsync(coordinator, victim);
        var othersFollowUp = await AggregateRowsTests.FollowUpIdAsync(coordinator, other);
        Assert.Equal(1, await new RawDatabase(factory).ExecuteAsync(
            $"UPDATE \"FollowUpAssessments\" SET \"FollowUpId\" = {factory.Sql.Literal(othersFollowUp)} WHERE \"FollowUpId\" = {factory.Sql.Literal(completed)}"));

        await AssertTamperedAsync(scenario, other, "Går bra.");

        // A change of the case (a follow-up's cancellation) is refused too, and leaves the follow-up as it was.
        var cancel = await coordinator.Http.PostAsJsonAsync($"/api/cases/{other}/follow-ups/{othersFollowUp}/transitions",
            new { trigger = "Cancel", reason = "Ersätts av ett extra möte." });
        await cancel.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("CiphertextTampered", (await cancel.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("Scheduled", await new RawDatabase(factory).ScalarAsync(
            $"SELECT \"State\" FROM \"FollowUps\" WHERE \"Id\" = {factory.Sql.Literal(othersFollowUp)}"));
    }

    private async Task AssertTamperedAsync(CaseScenario scenario, Guid caseId, string secret)
    {
        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}");
        await response.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("CiphertextTampered", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
    }
}
