using System.Net;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Interventions;
using SspfSamordning.Api.Tests.Meetings;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>Every kind of deadline of domain.md, on a moved clock: reminder on time to the responsible person, escalation on time to the coordinator.</summary>
public sealed class ReminderTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    public static TheoryData<DeadlineKind> Kinds => [.. Enum.GetValues<DeadlineKind>()];

    /// <summary>Brings about a deadline of <paramref name="kind"/> through the app; returns its owner and who is responsible for it.</summary>
    private async Task<(Guid OwnerId, string Responsible)> ArrangeAsync(CaseScenario scenario, DeadlineKind kind)
    {
        switch (kind)
        {
            case DeadlineKind.ConsentUnanswered:
            {
                var caseId = await scenario.OpenCaseAsync();
                await scenario.RequestConsentAsync(caseId);
                return (caseId, "samordnare");
            }
            case DeadlineKind.ConsentExpiring:
            {
                var caseId = await scenario.OpenCaseAsync();
                await scenario.GiveValidConsentAsync(caseId);
                return (caseId, "samordnare");
            }
            case DeadlineKind.Meeting:
            {
                var caseId = await scenario.OpenCaseAsync();
                await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddDays(5));
                return (caseId, "samordnare");
            }
            case DeadlineKind.MinutesApproval:
            {
                var caseId = await scenario.OpenCaseAsync();
                await scenario.HeldMeetingAsync(factory, caseId, "Mapping", "Utkast");
                return (caseId, "samordnare");
            }
            case DeadlineKind.FollowUpDue:
            {
                var caseId = await scenario.ActiveCaseAsync([], [Party.Skola], [InformationCategory.Basic]);
                await scenario.AdoptActionPlanAsync(factory, caseId);
                return (caseId, "samordnare");
            }
            case DeadlineKind.ProtectionAssessment or DeadlineKind.PreliminaryAssessment:
                return (await ConcernReportSteps.FileAsync(scenario, "skola"), "socialsekreterare");
            case DeadlineKind.InvestigationDue:
                return (await ConcernReportSteps.FileAsync(scenario, "skola", violence: true), "socialsekreterare");
            case DeadlineKind.ReporterFeedback:
            {
                var reportId = await ConcernReportSteps.FileAsync(scenario, "skola");
                await (await ConcernReportSteps.TransitionAsync(scenario, reportId,
                    new { trigger = "AssessProtection", assessment = "Inget akut.", immediateProtectionNeeded = false })).EnsureStatusAsync(HttpStatusCode.OK);
                await (await ConcernReportSteps.TransitionAsync(scenario, reportId,
                    new { trigger = "DecideNoInvestigation", reason = "Familjen har redan stöd." })).EnsureStatusAsync(HttpStatusCode.OK);
                return (reportId, "socialsekreterare");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryKind_RemindsTheResponsibleOnTime_AndEscalatesWhenItPasses(DeadlineKind kind)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (ownerId, responsible) = await ArrangeAsync(scenario, kind);
        var responsibleId = await scenario.UserIdAsync(responsible);
        var coordinatorId = await scenario.UserIdAsync("samordnare");
        var deadline = await factory.DeadlineAsync(kind, ownerId);
        var remindAt = deadline.RemindAt!.Value;
        var ofConcernReport = kind is DeadlineKind.ProtectionAssessment or DeadlineKind.PreliminaryAssessment or DeadlineKind.InvestigationDue or DeadlineKind.ReporterFeedback;
        var caseNumber = ofConcernReport ? null : (await scenario.GetCaseAsync(ownerId)).GetProperty("caseNumber").GetString();
        // A case's deadlines escalate to the coordinator; a concern report's to socialtjänst of the receiving unit, here
        // its only social worker — never the coordinator (docs/domain-rules.md, decision 8).
        var escalatesTo = ofConcernReport ? await scenario.UserIdAsync("socialsekreterare") : coordinatorId;

        if (remindAt > factory.Clock.GetUtcNow())
        {
            factory.Clock.Set(remindAt.AddMinutes(-1));
            await factory.DispatchAsync();
            Assert.Empty(await factory.NotificationsAsync(deadline.Id));
        }
        factory.Clock.Set(Max(remindAt, factory.Clock.GetUtcNow()));
        await factory.DispatchAsync();
        var reminder = Assert.Single(await factory.NotificationsAsync(deadline.Id));
        Assert.Equal((ReminderStep.Reminder, responsibleId), (reminder.Step, reminder.UserId));
        Assert.Equal(ReminderText.For(kind, ReminderStep.Reminder, caseNumber), reminder.Text);

        factory.Clock.Set(deadline.DueAt);
        await factory.DispatchAsync();
        Assert.Single(await factory.NotificationsAsync(deadline.Id));

        factory.Clock.Set(deadline.DueAt.AddMinutes(1));
        await factory.DispatchAsync();
        await factory.DispatchAsync();
        var notifications = await factory.NotificationsAsync(deadline.Id);
        Assert.Equal(2, notifications.Count);
        var escalation = notifications[1];
        Assert.Equal((ReminderStep.Escalation, escalatesTo, deadline.DueAt.AddMinutes(1)), (escalation.Step, escalation.UserId, escalation.CreatedAt));

        if (kind == DeadlineKind.ConsentExpiring)
            Assert.Equal(ConsentState.Expired, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == ownerId).SelectMany(c => c.Consents).Select(k => k.State).SingleAsync()));
        if (kind == DeadlineKind.FollowUpDue)
            Assert.Equal(FollowUpState.Overdue, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == ownerId).SelectMany(c => c.FollowUps).Select(f => f.State).SingleAsync()));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [Fact]
    public async Task CancelledMeeting_IsNeverReminded()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddDays(5));
        var deadline = await factory.DeadlineAsync(DeadlineKind.Meeting, caseId);
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Cancel", reason = "Sjuk" })).EnsureStatusAsync(HttpStatusCode.OK);

        factory.Clock.Set(deadline.RemindAt!.Value);
        await factory.DispatchAsync();
        factory.Clock.Set(deadline.DueAt.AddDays(1));
        await factory.DispatchAsync();

        Assert.Empty(await factory.NotificationsAsync(deadline.Id));
    }

    [Fact]
    public async Task AfterDowntime_AMissedReminderIsDropped_ButTheEscalationGoesOutOnce()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddDays(5));
        var deadline = await factory.DeadlineAsync(DeadlineKind.Meeting, caseId);

        factory.Clock.Set(deadline.DueAt.AddDays(1));
        await factory.DispatchAsync();
        await factory.DispatchAsync();

        var escalation = Assert.Single(await factory.NotificationsAsync(deadline.Id));
        Assert.Equal(ReminderStep.Escalation, escalation.Step);
    }
}
