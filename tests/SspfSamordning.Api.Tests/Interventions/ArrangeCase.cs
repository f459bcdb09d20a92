using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Interventions;

/// <summary>
/// TEST ARRANGEMENT ONLY. The consent and meeting endpoints are built on another branch, so until they land this
/// brings a case to Active (and to an adopted action plan) by calling the Case aggregate's own methods on the app's
/// DbContext, with the factory clock and the configured rules, exactly as those endpoints will. Nothing here is under
/// test; when the endpoints exist, replace these calls with requests through the API.
/// </summary>
public static class ArrangeCase
{
    /// <summary>
    /// Opens a case for a 14-year-old (two guardians with custody), adds <paramref name="members"/> and makes it Active
    /// with a consent that both guardians gave, sharing <paramref name="categories"/> with <paramref name="parties"/>.
    /// </summary>
    public static async Task<Guid> ActiveAsync(
        SspfApiFactory factory, CaseScenario scenario, IEnumerable<string> members, Party[] parties, InformationCategory[] categories)
    {
        var caseId = await scenario.OpenCaseAsync();
        foreach (var member in members) await scenario.AddMemberAsync(caseId, member);
        await GiveConsentAsync(factory, caseId, parties, categories);
        return caseId;
    }

    /// <summary>Requests a consent and records a written yes from every guardian with custody.</summary>
    public static Task GiveConsentAsync(SspfApiFactory factory, Guid caseId, Party[] parties, InformationCategory[] categories) =>
        ThroughDomainAsync(factory, caseId, (c, now, rules) =>
        {
            var consent = c.RequestConsent(parties, categories, c.CoordinatorUserId, now, rules);
            foreach (var guardian in c.Guardians.Where(g => g.HasCustody))
                c.AnswerConsent(consent.Id, new SignatoryAnswer(Signatory.Guardian(guardian.Id), true, ConsentForm.Written, Party.Socialtjanst, "D-1"),
                    c.CoordinatorUserId, now, rules);
        });

    /// <summary>Holds a network meeting (the clock moves a minute to its start) and adopts the action plan, which schedules the first follow-up.</summary>
    public static async Task AdoptActionPlanAsync(SspfApiFactory factory, Guid caseId)
    {
        var meetingId = Guid.Empty;
        await ThroughDomainAsync(factory, caseId, (c, now, rules) =>
            meetingId = c.ScheduleMeeting(MeetingKind.Network, now.AddMinutes(1), "Rådhuset", [], c.CoordinatorUserId, now, rules).Id);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await ThroughDomainAsync(factory, caseId, (c, now, rules) =>
        {
            c.RecordMeetingHeld(meetingId, [c.CoordinatorUserId], true, [], "Protokollutkast", c.CoordinatorUserId, now, rules);
            c.SetActionPlan(meetingId, "Ungdomen går i skolan varje dag.", c.CoordinatorUserId, now, rules);
        });
    }

    /// <summary>A new Polis user in the same police unit as polis@falkenberg, created through the admin API; returns the name for <see cref="CaseScenario.As"/>.</summary>
    public static async Task<string> AnotherPoliceOfficerAsync(CaseScenario scenario)
    {
        var unitId = (await (await (await scenario.As("polis")).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var name = "polis-" + Guid.NewGuid().ToString("N")[..8];
        var response = await (await scenario.As("admin")).Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo(name), displayName = "Annan Polis", unitId, roles = new[] { "Polis" }, initialPassword = SspfClient.DemoPassword,
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        await Admin.AdminSteps.ApproveAsync(await scenario.As(Admin.AdminSteps.SecondAdmin), response);
        return name;
    }

    private static async Task ThroughDomainAsync(SspfApiFactory factory, Guid caseId, Action<Case, DateTimeOffset, CaseRules> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var rules = scope.ServiceProvider.GetRequiredService<IOptions<CaseRules>>().Value;
        var now = factory.Clock.GetUtcNow();
        var head = await db.Cases.Where(c => c.Id == caseId).Select(c => new { c.CoordinatorUserId, c.MunicipalityId }).SingleAsync();
        var coordinator = new Viewer(head.CoordinatorUserId, Party.Annan, new HashSet<string> { Roles.Samordnare }, [head.MunicipalityId]);
        var @case = await db.LoadForChangeAsync(caseId, coordinator, now, CancellationToken.None)
            ?? throw new InvalidOperationException($"Case {caseId} not found for its coordinator.");
        change(@case, now, rules);
        await db.SaveChangesAsync();
    }
}
