namespace SspfSamordning.Domain;

/// <summary>
/// Local Swedish time for rules that speak of days: "the day of signing", "same day", "working day".
/// Working days are Monday–Friday; public holidays are not modelled (a holiday counts as a working day).
/// </summary>
public static class SwedishCalendar
{
    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public static bool IsWorkingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public static DateOnly NextWorkingDay(DateOnly date)
    {
        do date = date.AddDays(1);
        while (!IsWorkingDay(date));
        return date;
    }

    /// <summary>The last second of <paramref name="date"/> in Swedish local time.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    private static TimeZoneInfo FindTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        }
        catch (TimeZoneNotFoundException)
        {
            // No tz database on the host: the EU rule (CET/CEST, last Sunday of March to last Sunday of October).
            var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday));
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Stockholm", TimeSpan.FromHours(1), "Sverige", "CET", "CEST", [rule]);
        }
    }
}
