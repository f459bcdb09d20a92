using PublicHoliday;

namespace SspfSamordning.Domain;

/// <summary>
/// Local Swedish time for rules that speak of days: "the day of signing", "same day", "working day".
/// A working day is Monday–Friday and not a Swedish public holiday as the maintained PublicHoliday library
/// (<see cref="SwedenPublicHoliday"/>) computes them: the statutory helgdagar (Easter, Ascension, Midsummer Day,
/// Christmas, …) and the de facto non-working eves Midsummer Eve, Christmas Eve and New Year's Eve, which the library
/// lists too and which this system also treats as non-working (docs/domain-rules.md, decision 10).
/// </summary>
public static class SwedishCalendar
{
    private static readonly SwedenPublicHoliday Holidays = new();

    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsPublicHoliday(date);

    /// <summary>Whether <paramref name="date"/> is a Swedish public holiday (or one of the non-working eves), per <see cref="SwedenPublicHoliday"/>.</summary>
    public static bool IsPublicHoliday(DateOnly date)
    {
        lock (Holidays) return Holidays.IsPublicHoliday(date.ToDateTime(TimeOnly.MinValue));
    }

    public static DateOnly NextWorkingDay(DateOnly date)
    {
        do date = date.AddDays(1);
        while (!IsWorkingDay(date));
        return date;
    }

    /// <summary>
    /// <paramref name="months"/> calendar months after <paramref name="instant"/> as a Swedish clock and calendar count
    /// them: the same local time of day, on the same day of the month (or the month's last day, if it is shorter), in
    /// UTC. Counted in UTC instead, an instant between midnight and 02:00 local lies on the previous UTC day and could
    /// come out a day early, and a deadline counted across a change to or from summer time an hour off.
    /// </summary>
    public static DateTimeOffset AddMonths(DateTimeOffset instant, int months)
    {
        var local = ToLocal(instant).DateTime.AddMonths(months);
        // A wall-clock time skipped when summer time begins is read with the offset before the change (an hour later).
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
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
