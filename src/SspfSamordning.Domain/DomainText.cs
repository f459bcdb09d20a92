namespace SspfSamordning.Domain;

/// <summary>
/// The longest text each kind of field may hold, in characters (UTF-16 code units, as .NET counts them). Set for the
/// people who write them — a name, a reason, the minutes of one meeting — and small enough that no stored value can
/// exhaust the API's memory when a list decrypts a page of them (issue 15).
/// </summary>
public static class TextLimits
{
    public const int Name = 100;
    public const int Email = 254;
    public const int Phone = 40;
    public const int Address = 300;
    public const int School = 200;
    public const int Location = 300;

    /// <summary>Short references: a document or decision reference, who took a verbal consent, a decision maker.</summary>
    public const int Reference = 200;

    /// <summary>A reason given with a transition (cancel, withdraw, reschedule, …).</summary>
    public const int Reason = 2000;

    /// <summary>The comment of a closing; stored on the transition as "{reason}: {comment}", which stays within <see cref="Reason"/> + 32.</summary>
    public const int CloseComment = Reason;

    public const int InterventionGoal = 4000;
    public const int OutcomeComment = 4000;
    public const int Assessment = 8000;
    public const int Justification = 8000;
    public const int ActionPlanGoals = 10000;
    public const int Minutes = 20000;
    public const int ConcernReportContent = 20000;

    /// <summary>The longest of all: what the API's decryption accepts as the largest plausible stored value.</summary>
    public const int Longest = 20000;
}

/// <summary>
/// Validation of free text, in the domain: trimmed, within its limit, and free of control characters (a single-line
/// field allows none; a multi-line field allows line breaks and tabs). Every failure is a 400 naming the field.
/// </summary>
public static class DomainText
{
    public static string Required(string? value, string field, string missingMessage, int maxLength, bool multiline = false) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new DomainValidationException(field, missingMessage)
            : Checked(value.Trim(), field, maxLength, multiline);

    public static string? Optional(string? value, string field, int maxLength, bool multiline = false) =>
        string.IsNullOrWhiteSpace(value) ? null : Checked(value.Trim(), field, maxLength, multiline);

    /// <summary>The problem with a text, or null when it may be stored.</summary>
    public static string? Problem(string value, string field, int maxLength, bool multiline)
    {
        if (value.Length > maxLength) return $"Fältet {field} får vara högst {maxLength} tecken.";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
                return $"Fältet {field} innehåller otillåtna tecken (styrtecken).";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(c)) return $"Fältet {field} innehåller ogiltiga tecken.";
        }
        return null;
    }

    /// <summary>A transition's reason: checked before the transition fires, so that a refused reason changes nothing.</summary>
    public static string? Reason(string? reason) => Optional(reason, "reason", TextLimits.Reason, multiline: true);

    private static string Checked(string trimmed, string field, int maxLength, bool multiline) =>
        Problem(trimmed, field, maxLength, multiline) is { } problem ? throw new DomainValidationException(field, problem) : trimmed;

    /// <summary>A plausible e-mail address: one '@', a local part and a domain with a dot, no spaces, within <see cref="TextLimits.Email"/>.</summary>
    public static string? OptionalEmail(string? value, string field)
    {
        var email = Optional(value, field, TextLimits.Email);
        if (email is null) return null;
        var at = email.IndexOf('@');
        var valid = at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
            && email[(at + 1)..] is var domain && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..")
            && !email.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\')
            && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
        return valid ? email : throw new DomainValidationException(field, $"Fältet {field} är inte en giltig e-postadress.");
    }

    /// <summary>A phone number: digits, spaces and + - ( ) only, at least five digits.</summary>
    public static string? OptionalPhone(string? value, string field)
    {
        var phone = Optional(value, field, TextLimits.Phone);
        if (phone is null) return null;
        return phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')') && phone.Count(char.IsAsciiDigit) >= 5
            ? phone
            : throw new DomainValidationException(field, $"Fältet {field} är inte ett giltigt telefonnummer.");
    }
}
