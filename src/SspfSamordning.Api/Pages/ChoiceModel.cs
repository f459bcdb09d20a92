using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace SspfSamordning.Api.Pages;

/// <summary>
/// A group of radio buttons or checkboxes in a fieldset (the _Choices partial): the legend names the question, the error
/// sits by the group and the summary links to its first option (id = <see cref="Name"/>).
/// </summary>
public sealed record ChoiceModel(string Name, string Legend, IReadOnlyList<(string Value, string Label)> Options,
    IReadOnlyCollection<string> Selected, string? Error, bool Multiple = false, string? Hint = null)
{
    public static ChoiceModel For(ModelStateDictionary state, string name, string legend, IEnumerable<(string Value, string Label)> options,
        IEnumerable<string?>? selected, bool multiple = false, string? hint = null) =>
        new(name, legend, [.. options], [.. (selected ?? []).OfType<string>()],
            state.TryGetValue(name, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null, multiple, hint);
}
