using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using static SspfSamordning.Api.Tests.ConcernReports.ConcernReportSteps;

namespace SspfSamordning.Api.Tests.ConcernReports;

/// <summary>The protection assessment is due the day of receipt, or the next working day when the report arrives late (domain.md).</summary>
public sealed class ProtectionAssessmentDeadlineTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<DateTimeOffset> ProtectionAssessmentDueAsync(CaseScenario scenario, Guid reportId)
    {
        var task = Assert.Single(await TasksAsync(scenario, "socialsekreterare"),
            t => t.IsFor(reportId) && t.GetProperty("kind").GetString() == "ProtectionAssessment");
        return task.GetProperty("dueAt").GetDateTimeOffset();
    }

    [Fact]
    public async Task ReceivedOnAWeekdayBefore1600_IsDueTheSameDay()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var at = await ArriveAtAsync(factory, scenario, DayOfWeek.Wednesday, new TimeOnly(15, 30), "samordnare", "skola", "socialsekreterare");
        var reportId = await FileAsync(scenario, "skola");
        Assert.Equal(SwedishCalendar.EndOfDay(SwedishCalendar.DateOf(at)), await ProtectionAssessmentDueAsync(scenario, reportId));
    }

    [Fact]
    public async Task ReceivedOnAFridayAt1700_IsDueTheNextMonday()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var at = await ArriveAtAsync(factory, scenario, DayOfWeek.Friday, new TimeOnly(17, 0), "samordnare", "skola", "socialsekreterare");
        var reportId = await FileAsync(scenario, "skola");
        var monday = SwedishCalendar.DateOf(at).AddDays(3);
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
        Assert.Equal(SwedishCalendar.EndOfDay(monday), await ProtectionAssessmentDueAsync(scenario, reportId));
    }
}
