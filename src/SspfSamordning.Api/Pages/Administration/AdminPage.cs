using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SspfSamordning.Api.Pages.Administration;

/// <summary>
/// What the administration pages share: a use case's refusal answers as the API answers it — 404 (the one "finns inte
/// eller saknar behörighet" page) for an account or request the administrator does not manage, else the form again with
/// the refusal's messages and the API's status (400, 409) — and a successful change redirects (post/redirect/get) with a
/// notice.
/// </summary>
public abstract class AdminPage : PageModel
{
    [BindProperty(SupportsGet = true, Name = "meddelande")] public string? Notice { get; set; }

    public static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>
    {
        ["skapat"] = "Kontot är skapat. Rollerna väntar på att en annan administratör godkänner dem.",
        ["roller-begarda"] = "Rolländringen väntar på att en annan administratör godkänner den.",
        ["roller-andrade"] = "Rollerna är ändrade. Personens inloggningar har avslutats.",
        ["avstangt"] = "Kontot är avstängt. Personens inloggningar har avslutats.",
        ["tvasteg-aterstallt"] = "Tvåstegsverifieringen är återställd. Personen aktiverar den igen vid nästa inloggning.",
        ["godkant"] = "Rolländringen är godkänd.",
        ["avslaget"] = "Rolländringen är avslagen.",
        ["federation-andrad"] = "Identiteterna för inloggning via kommunens identitetsleverantör är sparade.",
    };

    public string? NoticeText => Notice is not null && Notices.TryGetValue(Notice, out var text) ? text : null;

    /// <summary>The role checkboxes of the account pages, drawn by the shared _Choices partial (one checkbox per role).</summary>
    public static ChoiceModel RoleChoices(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, IEnumerable<string> chosen) =>
        ChoiceModel.For(state, "Roles", "Roller", Infrastructure.Auth.Roles.All.Select(r => (r, r)), chosen, multiple: true,
            hint: "Administratör, Granskare och Analytiker kombineras aldrig med någon annan roll. Nya roller godkänns av en annan administratör.");

    /// <summary>A refusal: 404 as the API, or the page with the messages and the API's status code.</summary>
    protected IActionResult Refused(IResult refusal)
    {
        var inner = refusal is INestedHttpResult nested ? nested.Result : refusal;
        if (inner is ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound }) return NotFound();
        inner.AddErrorsTo(ModelState);
        Response.StatusCode = (inner as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status400BadRequest;
        return Page();
    }
}
