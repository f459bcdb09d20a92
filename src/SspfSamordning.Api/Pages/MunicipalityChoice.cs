using Microsoft.AspNetCore.Mvc.ModelBinding;
using SspfSamordning.Api.Features.Me;

namespace SspfSamordning.Api.Pages;

/// <summary>
/// The choice of one of the person's municipalities, by name (the _MunicipalityChoice partial): a hidden field when the
/// person serves one, else a list. What is posted is only an id: the use case refuses one that is not the person's.
/// </summary>
public sealed record MunicipalityChoice(IReadOnlyList<GetMe.NamedRef> Municipalities, Guid? Selected, string? Error)
{
    public const string Name = "MunicipalityId";

    public static MunicipalityChoice For(ModelStateDictionary state, IReadOnlyList<GetMe.NamedRef> municipalities, Guid? selected) =>
        new(municipalities, selected, state.TryGetValue(Name, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null);
}
