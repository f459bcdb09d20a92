using SspfSamordning.Domain.ConcernReports;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

/// <summary>
/// Decision 10: "next working day" skips weekends and Swedish public holidays, from the PublicHoliday library, including
/// the eves that Swedish practice (and lag 1930:173 om beräkning av lagstadgad tid) treats as non-working. The dates
/// here are written out by hand from the almanac, independently of the library.
/// </summary>
public class SwedishCalendarTests
{
    public static TheoryData<string, string> MovingHolidays => new()
    {
        // Good Friday, Easter Monday, Ascension Day and Midsummer Eve, 2025–2030.
        { "2025-04-18", "Långfredag" }, { "2025-04-21", "Annandag påsk" }, { "2025-05-29", "Kristi himmelfärd" }, { "2025-06-20", "Midsommarafton" },
        { "2026-04-03", "Långfredag" }, { "2026-04-06", "Annandag påsk" }, { "2026-05-14", "Kristi himmelfärd" }, { "2026-06-19", "Midsommarafton" },
        { "2027-03-26", "Långfredag" }, { "2027-03-29", "Annandag påsk" }, { "2027-05-06", "Kristi himmelfärd" }, { "2027-06-25", "Midsommarafton" },
        { "2028-04-14", "Långfredag" }, { "2028-04-17", "Annandag påsk" }, { "2028-05-25", "Kristi himmelfärd" }, { "2028-06-23", "Midsommarafton" },
        { "2029-03-30", "Långfredag" }, { "2029-04-02", "Annandag påsk" }, { "2029-05-10", "Kristi himmelfärd" }, { "2029-06-22", "Midsommarafton" },
        { "2030-04-19", "Långfredag" }, { "2030-04-22", "Annandag påsk" }, { "2030-05-30", "Kristi himmelfärd" }, { "2030-06-21", "Midsommarafton" },
    };

    [Theory]
    [MemberData(nameof(MovingHolidays))]
    public void MovingHolidays_AreNotWorkingDays(string date, string name)
    {
        var day = DateOnly.Parse(date);
        Assert.NotEqual(DayOfWeek.Saturday, day.DayOfWeek);
        Assert.NotEqual(DayOfWeek.Sunday, day.DayOfWeek);
        Assert.False(SwedishCalendar.IsWorkingDay(day), $"{name} {date} counted as a working day");
        Assert.True(SwedishCalendar.IsPublicHoliday(day), name);
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    [InlineData(2027)]
    [InlineData(2028)]
    [InlineData(2029)]
    [InlineData(2030)]
    public void FixedHolidaysAndTheNonWorkingEves_AreNotWorkingDays(int year)
    {
        // Statutory helgdagar on fixed dates, and the eves decided as non-working (decision 10).
        foreach (var (month, day) in new[] { (1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31) })
            Assert.False(SwedishCalendar.IsWorkingDay(new DateOnly(year, month, day)), $"{year}-{month:00}-{day:00}");
    }

    [Theory]
    [InlineData("2026-03-10")] // an ordinary Tuesday
    [InlineData("2026-04-07")] // the Tuesday after Easter
    [InlineData("2026-06-18")] // the Thursday before Midsummer Eve
    [InlineData("2026-12-23")] // the day before Christmas Eve
    [InlineData("2026-12-30")] // the day before New Year's Eve
    [InlineData("2027-01-05")] // trettondagsafton is an ordinary working day
    [InlineData("2026-04-30")] // valborgsmässoafton is an ordinary working day
    public void OrdinaryWeekdays_AreWorkingDays(string date) => Assert.True(SwedishCalendar.IsWorkingDay(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2026-04-02", "2026-04-07")] // Maundy Thursday → over Good Friday, the weekend and Easter Monday
    [InlineData("2027-03-25", "2027-03-30")]
    [InlineData("2030-04-18", "2030-04-23")]
    [InlineData("2026-05-13", "2026-05-15")] // the day before Ascension → the Friday after
    [InlineData("2029-05-09", "2029-05-11")]
    [InlineData("2026-06-18", "2026-06-22")] // Thursday before Midsummer Eve → Monday
    [InlineData("2028-06-22", "2028-06-26")]
    [InlineData("2026-12-23", "2026-12-28")] // Christmas Eve, Christmas Day, weekend
    [InlineData("2025-12-23", "2025-12-29")] // Wed–Fri holidays, then the weekend
    [InlineData("2026-12-30", "2027-01-04")] // New Year's Eve, New Year's Day, weekend
    [InlineData("2029-12-28", "2030-01-02")] // Friday → over the weekend, New Year's Eve (Mon) and Day (Tue)
    [InlineData("2026-03-10", "2026-03-11")]
    public void NextWorkingDay_SkipsWeekendsAndHolidays(string from, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), SwedishCalendar.NextWorkingDay(DateOnly.Parse(from)));

    [Theory]
    [InlineData("2026-04-02T17:00:00+02:00", "2026-04-07")] // late on Maundy Thursday
    [InlineData("2026-04-03T10:00:00+02:00", "2026-04-07")] // on Good Friday
    [InlineData("2026-06-19T09:00:00+02:00", "2026-06-22")] // on Midsummer Eve
    [InlineData("2026-12-24T09:00:00+01:00", "2026-12-28")] // on Christmas Eve
    [InlineData("2026-12-31T11:00:00+01:00", "2027-01-04")] // on New Year's Eve
    [InlineData("2027-05-06T08:00:00+02:00", "2027-05-07")] // on Ascension Day
    public void ProtectionAssessment_ReceivedOnOrLateBeforeAHoliday_IsDueTheNextWorkingDay(string receivedAt, string dueDate)
    {
        var due = ConcernReport.ProtectionAssessmentDue(DateTimeOffset.Parse(receivedAt), Rules);

        Assert.Equal(SwedishCalendar.EndOfDay(DateOnly.Parse(dueDate)), due);
    }

    /// <summary>
    /// Months are counted on a Swedish clock and calendar: an instant shortly after midnight local time lies on the
    /// previous UTC day, and counted in UTC (31 May + 1 month = 30 June, not 1 July) it came out a day late; across a
    /// change to or from summer time the local time of day stays.
    /// </summary>
    [Theory]
    [InlineData("2026-05-30T23:00:00Z", 1, "2026-06-29T23:00:00Z")] // 31 May 01:00 → 30 June 01:00 (UTC arithmetic: 1 July 01:00)
    [InlineData("2026-01-30T23:30:00Z", 1, "2026-02-27T23:30:00Z")] // 31 Jan 00:30 → 28 Feb 00:30, the month's last day
    [InlineData("2026-03-10T08:00:00Z", 6, "2026-09-10T07:00:00Z")] // 10 Mar 09:00 CET → 10 Sep 09:00 CEST
    [InlineData("2026-09-10T07:00:00Z", 2, "2026-11-10T08:00:00Z")] // 10 Sep 09:00 CEST → 10 Nov 09:00 CET
    [InlineData("2026-02-28T01:30:00Z", 1, "2026-03-28T01:30:00Z")] // 02:30 CET → 02:30 CET the day before summer time begins
    [InlineData("2026-02-28T23:30:00Z", 0, "2026-02-28T23:30:00Z")]
    public void AddMonths_CountsOnTheSwedishCalendar(string from, int months, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), SwedishCalendar.AddMonths(DateTimeOffset.Parse(from), months));

    [Fact]
    public void AddMonths_ToATimeSkippedWhenSummerTimeBegins_GivesTheHourAfter()
    {
        // 29 March 2026: clocks go from 02:00 to 03:00. 29 Feb does not exist in 2026; 29 January 02:30 CET + 2 months
        // is a wall-clock time that never happens, read with the winter offset: 03:30 CEST.
        Assert.Equal(DateTimeOffset.Parse("2026-03-29T01:30:00Z"), SwedishCalendar.AddMonths(DateTimeOffset.Parse("2026-01-29T01:30:00Z"), 2));
    }

    [Fact]
    public void ConsentGivenJustAfterMidnight_IsValidToTheSameSwedishDay_MonthsLater()
    {
        var givenAt = Swedish(2026, 5, 31, hour: 0).AddMinutes(30);
        var @case = NewCase();
        var consent = @case.RequestConsent(AllSharedParties, AllSharedCategories, Coordinator, givenAt, Rules with { ConsentValidityMonths = 1 });
        foreach (var signatory in @case.RequiredSignatories(givenAt))
            @case.AnswerConsent(consent.Id, Gives(signatory), SocialWorker, givenAt, Rules);

        Assert.Equal(new DateOnly(2026, 6, 30), SwedishCalendar.DateOf(consent.ValidTo!.Value));
    }
}
