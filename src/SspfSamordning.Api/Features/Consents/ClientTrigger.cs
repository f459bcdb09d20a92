namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// The <c>trigger</c> of a <c>POST .../transitions</c> body, read as a string so that an unknown one is a 400
/// naming the triggers this endpoint accepts (an enum binding failure could not say which they are), and
/// the check that a body carries only the fields its trigger uses: nothing a client sends is silently dropped.
/// </summary>
internal static class ClientTrigger
{
    /// <summary>The trigger named exactly (PascalCase, no numbers), or null with an error on <c>trigger</c>.</summary>
    public static T? Parse<T>(string? value, IReadOnlyList<T> accepted, IDictionary<string, string[]> errors) where T : struct, Enum
    {
        foreach (var trigger in accepted)
            if (trigger.ToString() == value) return trigger;
        errors["trigger"] = [$"Ange en av: {string.Join(", ", accepted)}."];
        return null;
    }

    /// <summary>An error for every field that was sent but that <paramref name="trigger"/> does not use.</summary>
    public static void RejectUnused(
        string trigger, IReadOnlySet<string> used, IDictionary<string, string[]> errors, params (string Field, bool Sent)[] fields)
    {
        foreach (var (field, sent) in fields)
            if (sent && !used.Contains(field)) errors[field] = [$"Fältet används inte av {trigger}."];
    }
}
