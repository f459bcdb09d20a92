using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>
/// Issue 16: the visibility filter uses the domain's one definition of consent coverage and disclosure validity
/// (Consent.CoversRule, Disclosure.GrantsRule) — and the database still evaluates it: one SQL query, no client evaluation.
/// </summary>
public sealed class VisibilityRuleTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task VisibleCases_ForAPoliceUser_IsTranslatedToSql_WithConsentAndDisclosureRules()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var viewer = new Viewer(await scenario.UserIdAsync("polis"), Party.Polis, new HashSet<string> { Roles.Polis }, [await scenario.MunicipalityIdAsync()]);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();

        var sql = db.VisibleCases(viewer, factory.Clock.GetUtcNow()).Select(c => c.Id).ToQueryString();

        Assert.Contains("\"Consents\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"Disclosures\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"ValidTo\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"EndsAt\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"ReceivingPoliceUserId\"", sql, StringComparison.Ordinal);
        Assert.Contains("'Valid'", sql, StringComparison.Ordinal);
        Assert.Contains("'Active'", sql, StringComparison.Ordinal);
        // The time, the party and the user are parameters of the query, not literals baked into a new plan per call.
        // (ToQueryString lists the parameters' values first: ".param set" on SQLite, "-- @p=" on PostgreSQL.)
        var statement = string.Join('\n', sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal) && !l.StartsWith("--", StringComparison.Ordinal)));
        Assert.Contains("SELECT", statement, StringComparison.Ordinal);
        Assert.DoesNotContain(viewer.UserId.ToString(), statement, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PoliceMember_SeesTheCase_ExactlyWhileAConsentCoversThePolice()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "polis");
        var police = await scenario.As("polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        await scenario.GiveValidConsentAsync(caseId, [Party.Skola], [InformationCategory.Basic]); // not the police
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await scenario.GiveValidConsentAsync(caseId, [Party.Polis], [InformationCategory.Basic]);
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
    }
}
