using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Consents;

/// <summary>
/// /arenden/{id}/samtycken/{consentId}: one consent for the people who record consent (samordnare, socialsekreterare,
/// the API's ConsentRecorder). Shown through <see cref="GetConsent"/>'s section (same visibility and 404), with who must
/// sign today by the domain's age rule; each signatory's answer through <see cref="AnswerConsent"/>, a withdrawal or a
/// narrowed scope through <see cref="ConsentTransitions"/> — the API's handlers, so a consent id of another case, a
/// tampered signatory or a refused transition is answered exactly as the API answers it.
/// </summary>
[Authorize(Policy = Policies.ConsentRecorder)]
[AuditedPage]
public sealed class ConsentModel(SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules) : PageModel
{
    public const string Youth = "Youth";

    public GetConsent.ToAnswer View { get; private set; } = null!;
    public Guid CaseId { get; private set; }
    [FromQuery(Name = "sparat")] public string? Saved { get; set; }

    // The answer form.
    [BindProperty] public string? Signer { get; set; }
    [BindProperty] public string? Given { get; set; }
    [BindProperty] public string? Form { get; set; }
    [BindProperty] public string? DocumentRef { get; set; }
    [BindProperty] public string? VerbalRecordedBy { get; set; }
    [BindProperty] public string? ObtainedBy { get; set; }
    // The withdrawal form.
    [BindProperty] public string? WithdrawSigner { get; set; }
    [BindProperty] public string? Reason { get; set; }
    // The narrowed scope form.
    [BindProperty] public string? NarrowSigner { get; set; }
    [BindProperty] public List<string> Parties { get; set; } = [];
    [BindProperty] public List<string> Categories { get; set; } = [];

    public Task<IActionResult> OnGetAsync(Guid id, Guid consentId, CancellationToken ct)
    {
        ObtainedBy ??= Viewer.From(User).Party.ToString();
        return ShowAsync(id, consentId, ct);
    }

    public Task<IActionResult> OnPostAnswerAsync(Guid id, Guid consentId, CancellationToken ct)
    {
        var (kind, guardianId) = ParseSigner(Signer);
        var request = new AnswerConsent.Request(kind, guardianId, Given switch { "true" => true, "false" => false, _ => null },
            PageChange.Choice<ConsentForm>(Form), DocumentRef, VerbalRecordedBy, PageChange.Choice<Party>(ObtainedBy));
        return ChangeAsync(id, consentId, "svar", nameof(Signer),
            async () => (await AnswerConsent.Handle(id, consentId, request, User, db, time, rules, ct)).Result, ct);
    }

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, Guid consentId, CancellationToken ct)
    {
        var (kind, guardianId) = ParseSigner(WithdrawSigner);
        var request = new ConsentTransitions.Request(nameof(ConsentTrigger.Withdraw), kind, guardianId, Reason, null, null);
        return ChangeAsync(id, consentId, "aterkallat", nameof(WithdrawSigner),
            async () => (await ConsentTransitions.Handle(id, consentId, request, User, db, time, ct)).Result, ct);
    }

    public Task<IActionResult> OnPostNarrowAsync(Guid id, Guid consentId, CancellationToken ct)
    {
        var (kind, guardianId) = ParseSigner(NarrowSigner);
        var parties = Parties.Select(PageChange.Choice<Party>).ToList();
        var categories = Categories.Select(PageChange.Choice<InformationCategory>).ToList();
        if (parties.Any(p => p is null) || categories.Any(c => c is null))
        {
            // Not a value the form offers: refused as the API refuses an unknown enum value.
            ModelState.AddModelError("", "Ogiltigt val av aktör eller informationskategori.");
            return ShowAsync(id, consentId, ct);
        }
        var request = new ConsentTransitions.Request(nameof(ConsentTrigger.NarrowScope), kind, guardianId, null,
            [.. parties.Select(p => p!.Value)], [.. categories.Select(c => c!.Value)]);
        return ChangeAsync(id, consentId, "avgransat", nameof(NarrowSigner),
            async () => (await ConsentTransitions.Handle(id, consentId, request, User, db, time, ct)).Result, ct);
    }

    /// <summary>Who a signer value names: "Youth", or a guardian's id.</summary>
    public string SignerName(string value) =>
        value == Youth ? "Ungdomen"
        : View.Guardians.FirstOrDefault(g => g.Id.ToString() == value) is { } g ? $"Vårdnadshavare {g.GivenName} {g.FamilyName}" : "Okänd";

    public static string SignerValue(Signatory s) => s.Kind == SignatoryKind.Youth ? Youth : s.GuardianId!.Value.ToString();

    public static string SignerValue(ConsentAnswerView a) => a.SignatoryKind == SignatoryKind.Youth ? Youth : a.GuardianId!.Value.ToString();

    /// <summary>The age rule the domain applied, said in words (from who it requires, not computed again here).</summary>
    public string AgeRule => View.RequiredToday switch
    {
        [] => "Ingen vårdnadshavare med vårdnad är registrerad i ärendet, så samtycket kan inte lämnas ännu.",
        var r when r.All(s => s.Kind == SignatoryKind.Youth) => "Ungdomen har fyllt 18 år: ungdomen samtycker själv.",
        var r when r.Any(s => s.Kind == SignatoryKind.Youth) => "Ungdomen är 15–17 år: både ungdomen och vårdnadshavarna med vårdnad ska samtycka.",
        _ => "Ungdomen är under 15 år: vårdnadshavarna med vårdnad samtycker.",
    };

    /// <summary>The latest answer of a signatory, if any.</summary>
    public ConsentAnswerView? AnswerOf(Signatory s) =>
        View.Consent.Answers.LastOrDefault(a => a.SignatoryKind == s.Kind && a.GuardianId == s.GuardianId);

    /// <summary>Who may withdraw or narrow: whoever must sign today or has answered (the domain's rule decides).</summary>
    public IEnumerable<(string Value, string Label)> SignerOptions(bool includeAnswered) =>
        View.RequiredToday.Select(SignerValue)
            .Concat(includeAnswered ? View.Consent.Answers.Select(SignerValue) : [])
            .Distinct().Select(v => (v, SignerName(v)));

    private Task<IActionResult> ChangeAsync(Guid id, Guid consentId, string saved, string signerField, Func<Task<IResult>> change, CancellationToken ct) =>
        this.ChangeAsync(change, () => $"/arenden/{id}/samtycken/{consentId}?sparat={saved}", () =>
        {
            PageChange.Rename(ModelState, signerField, "Signatory", "GuardianId");
            return ShowAsync(id, consentId, ct);
        });

    private async Task<IActionResult> ShowAsync(Guid id, Guid consentId, CancellationToken ct)
    {
        var result = await GetConsent.ForAnsweringAsync(id, consentId, User, db, time, ct);
        if (result.Result is not Ok<GetConsent.ToAnswer> ok) return NotFound();
        View = ok.Value!;
        CaseId = id;
        return Page();
    }

    private static (SignatoryKind? Kind, Guid? GuardianId) ParseSigner(string? value) =>
        value == Youth ? (SignatoryKind.Youth, null)
        : Guid.TryParse(value, out var guardian) ? (SignatoryKind.Guardian, guardian)
        : (null, null);

}
