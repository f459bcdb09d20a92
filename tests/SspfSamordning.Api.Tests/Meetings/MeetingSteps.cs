using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Meetings;

/// <summary>Drives meetings through the real endpoints as the coordinator.</summary>
public static class MeetingSteps
{
    public static async Task<HttpResponseMessage> ScheduleResponseAsync(
        this CaseScenario scenario, Guid caseId, string kind, DateTimeOffset startsAt, params Guid[] inviteeUserIds) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings",
            new { kind, startsAt, location = "Stadshuset, rum 3", inviteeUserIds });

    public static async Task<Guid> ScheduleAsync(this CaseScenario scenario, Guid caseId, string kind, DateTimeOffset startsAt, params Guid[] inviteeUserIds)
    {
        var response = await scenario.ScheduleResponseAsync(caseId, kind, startsAt, inviteeUserIds);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> FireAsync(this CaseScenario scenario, Guid caseId, Guid meetingId, object body) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings/{meetingId}/transitions", body);

    public static async Task<HttpResponseMessage> PutMinutesAsync(this CaseScenario scenario, Guid caseId, Guid meetingId, string? minutes) =>
        await (await scenario.As("samordnare")).Http.PutAsJsonAsync($"/api/cases/{caseId}/meetings/{meetingId}/minutes", new { minutes });

    /// <summary>A meeting of <paramref name="kind"/> two minutes ahead, then the clock moved past its start and the meeting held.</summary>
    public static async Task<Guid> HeldMeetingAsync(this CaseScenario scenario, SspfApiFactory factory, Guid caseId, string kind, string? draftMinutes)
    {
        var meetingId = await scenario.ScheduleAsync(caseId, kind, factory.Clock.GetUtcNow().AddMinutes(2));
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var held = await scenario.FireAsync(caseId, meetingId,
            new { trigger = "Hold", attendeeUserIds = Array.Empty<Guid>(), youthAttended = true, attendingGuardianIds = Array.Empty<Guid>(), draftMinutes });
        await held.EnsureStatusAsync(HttpStatusCode.OK);
        return meetingId;
    }

    /// <summary>
    /// The case's open deadlines, read from the database: no endpoint shows them per case yet (GET /api/me/tasks
    /// is not built, and GET /api/cases?due= answers 500 on PostgreSQL).
    /// </summary>
    public static async Task<IReadOnlyList<Deadline>> OpenDeadlinesAsync(this SspfApiFactory factory, Guid caseId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        return await db.Cases.AsNoTracking().Where(c => c.Id == caseId).SelectMany(c => c.Deadlines)
            .Where(d => d.State == DeadlineState.Open).ToListAsync();
    }

    public static async Task<JsonElement> GetMeetingAsync(this CaseScenario scenario, Guid caseId, Guid meetingId)
    {
        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/meetings/{meetingId}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }
}
