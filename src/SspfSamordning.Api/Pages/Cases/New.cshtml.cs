using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Me;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// /arenden/nytt: the coordinator opens a case — the API's <see cref="OpenCase"/> (personnummer and every field checked
/// there, one open case per youth and municipality). A youth who already has an open case is reported with a link
/// only when the person may see that case, exactly as the API's 409 names <c>existingCaseId</c>.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class NewModel(SspfDbContext db, BlindIndex index, TimeProvider time) : PageModel
{
    public const int GuardianRows = 2;

    public sealed class YouthForm
    {
        public string? Personnummer { get; set; }
        public string? GivenName { get; set; }
        public string? FamilyName { get; set; }
        public string? School { get; set; }
        public string? Address { get; set; }
        public bool ProtectedIdentity { get; set; }
    }

    public sealed class GuardianForm
    {
        public string? GivenName { get; set; }
        public string? FamilyName { get; set; }
        public string? Personnummer { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public bool HasCustody { get; set; }

        public bool IsBlank => new[] { GivenName, FamilyName, Personnummer, Phone, Email }.All(string.IsNullOrWhiteSpace);
    }

    [BindProperty] public Guid? MunicipalityId { get; set; }
    [BindProperty] public YouthForm Youth { get; set; } = new();
    [BindProperty] public List<GuardianForm> Guardians { get; set; } = [];
    [BindProperty] public SignalCategory? SignalCategory { get; set; }
    [BindProperty] public List<Party> ProposedParties { get; set; } = [];

    /// <summary>The open case the youth already has, when the person may see it (else null: only that one exists).</summary>
    public Guid? ExistingCaseId { get; private set; }

    /// <summary>The person's municipalities by name, for the choice (the API's <see cref="GetMe"/> names them the same way).</summary>
    public IReadOnlyList<GetMe.NamedRef> Municipalities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Municipalities = await GetMe.MunicipalitiesOfAsync(User, db, ct);
        MunicipalityId = Municipalities.Count == 1 ? Municipalities[0].Id : null;
        Guardians = [new() { HasCustody = true }, new() { HasCustody = true }];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Municipalities = await GetMe.MunicipalitiesOfAsync(User, db, ct);
        // A value that does not bind (a tampered option) is left empty: the use case then names the field in Swedish.
        ModelState.Clear();
        while (Guardians.Count < GuardianRows) Guardians.Add(new());
        // Rows left empty are not guardians; the others keep their row number in the messages.
        var rows = Guardians.Select((g, row) => (g, row)).Where(x => !x.g.IsBlank).ToList();
        var request = new OpenCase.Request(MunicipalityId,
            new OpenCase.YouthInput(Youth.Personnummer, Youth.GivenName, Youth.FamilyName, Youth.School, Youth.Address, Youth.ProtectedIdentity),
            [.. rows.Select(x => new OpenCase.GuardianInput(x.g.GivenName, x.g.FamilyName, x.g.HasCustody, x.g.Personnummer, x.g.Phone, x.g.Email, null, null))],
            SignalCategory, ProposedParties);
        IResult? answer = null;
        var (_, status) = await PageChange.RunAsync(async () => answer = (await OpenCase.Handle(request, User, db, index, time, ct)).Result, ModelState, db);
        if (answer is Created<CaseDetail> created) return LocalRedirect($"/arenden/{created.Value!.Id}");
        if (answer is ProblemHttpResult { ProblemDetails.Extensions: var extensions } && extensions.TryGetValue("existingCaseId", out var existing))
            ExistingCaseId = existing as Guid?;
        RenumberGuardianErrors(rows.Select(x => x.row).ToList());
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The use case numbers the guardians it got; the form's rows may have had an empty one before.</summary>
    private void RenumberGuardianErrors(List<int> rows)
    {
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (rows[i] == i) continue;
            foreach (var key in ModelState.Keys.Where(k => k.StartsWith($"Guardians[{i}].", StringComparison.Ordinal)).ToList())
            {
                foreach (var error in ModelState[key]!.Errors) ModelState.AddModelError($"Guardians[{rows[i]}]." + key[$"Guardians[{i}].".Length..], error.ErrorMessage);
                ModelState.Remove(key);
            }
        }
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
