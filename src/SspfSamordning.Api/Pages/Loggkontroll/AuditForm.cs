using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>
/// The loggkontroll pages' filter (/loggkontroll…): ids and dates typed as text and parsed here with Swedish messages (what
/// was typed is shown again), a period of whole days in Swedish time (till och med: up to the end of that day), and the
/// parsed values under the API's parameter names for the <see cref="AuditAction.AuditQuery"/> event.
/// </summary>
public static class AuditForm
{
    public const string Case = "arende", User = "anvandare", From = "fran", To = "till", PageNumber = "sida";

    public static Guid? Id(ModelStateDictionary state, string field, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Guid.TryParse(value.Trim(), out var id)) return id;
        state.AddModelError(field, message);
        return null;
    }

    /// <summary>From the start of <paramref name="from"/> up to the end of <paramref name="to"/> (Europe/Stockholm); either may be empty.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Period(ModelStateDictionary state, string? from, string? to)
    {
        var first = Date(state, From, from, "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-04.");
        var last = Date(state, To, to, "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-04.");
        if (first is { } f && last is { } l && l < f)
            state.AddModelError(To, "Till och med-datumet kan inte vara före från och med-datumet.");
        return (first is { } a ? StartOf(a) : null, last is { } b ? StartOf(b.AddDays(1)) : null);
    }

    public static int? Page(ModelStateDictionary state, int? page)
    {
        if (page is null or >= 1 and <= Paging.MaxPage) return page;
        state.AddModelError(PageNumber, page < 1 ? "Sidnumret börjar på 1." : $"Sidnumret kan vara högst {Paging.MaxPage}.");
        return null;
    }

    /// <summary>The dates the reports take: none before the audit endpoints' <see cref="VolumeOutliers.Earliest"/>, and a day after the last has to exist.</summary>
    private static readonly DateOnly FirstDate = DateOnly.FromDateTime(VolumeOutliers.Earliest.UtcDateTime), LastDate = new(2999, 12, 31);

    /// <summary>The filter as the API's audit endpoints name it (<see cref="AuditQueryFilter"/>), for the query's own event.</summary>
    public static IEnumerable<(string Name, string Value)> Filter(Guid? caseId, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, int? page)
    {
        if (caseId is { } c) yield return ("caseId", c.ToString());
        if (userId is { } u) yield return ("userId", u.ToString());
        if (from is { } f) yield return ("from", f.ToString("O", CultureInfo.InvariantCulture));
        if (to is { } t) yield return ("to", t.ToString("O", CultureInfo.InvariantCulture));
        if (page is { } p) yield return ("page", p.ToString(CultureInfo.InvariantCulture));
    }

    private static DateOnly? Date(ModelStateDictionary state, string field, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            state.AddModelError(field, message);
        else if (date < FirstDate || date > LastDate)
            state.AddModelError(field, $"Ange ett datum mellan {FirstDate:yyyy-MM-dd} och {LastDate:yyyy-MM-dd}.");
        else return date;
        return null;
    }

    private static DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, SwedishCalendar.TimeZone.GetUtcOffset(local));
    }

    public static string Action(string action) => Enum.TryParse<AuditAction>(action, out var known) ? known switch
    {
        AuditAction.Read => "Läsning",
        AuditAction.List => "Listning",
        AuditAction.Search => "Sökning",
        AuditAction.Create => "Skapande",
        AuditAction.Change => "Ändring",
        AuditAction.Transition => "Statusändring",
        AuditAction.Refused => "Nekad åtkomst",
        AuditAction.LoginSucceeded => "Inloggning",
        AuditAction.LoginFailed => "Misslyckad inloggning",
        AuditAction.LockedOut => "Kontot låst",
        AuditAction.TwoFactorChanged => "Tvåstegsverifiering ändrad",
        AuditAction.RefreshTokenReuse => "Återanvänd förnyelsetoken",
        AuditAction.Logout => "Utloggning",
        AuditAction.PasswordChanged => "Lösenord bytt",
        AuditAction.AccountChanged => "Konto ändrat",
        AuditAction.Erasure => "Gallring",
        AuditAction.AuditQuery => "Loggkontroll",
        AuditAction.OAuthRefused => "Nekad OAuth-begäran",
        AuditAction.ClientRegistered => "Klient registrerad",
        _ => action,
    } : action;

    public static string Decision(string decision) => decision switch
    {
        nameof(AuditDecision.Allowed) => "Tillåten",
        nameof(AuditDecision.Refused) => "Nekad",
        _ => decision,
    };
}
