using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace SspfSamordning.Api.Pages;

/// <summary>One labelled input with its hint and its error (the _Field partial): the error sits by the field and in the summary.</summary>
public sealed record FieldModel(string Name, string Label, string? Value, string? Error, string Type = "text",
    string? Autocomplete = null, string? Hint = null, string? InputMode = null, string? Width = null)
{
    public static FieldModel For(ModelStateDictionary state, string name, string label, string? value, string type = "text",
        string? autocomplete = null, string? hint = null, string? inputMode = null, string? width = null) =>
        new(name, label, value, state.TryGetValue(name, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null,
            type, autocomplete, hint, inputMode, width);
}
