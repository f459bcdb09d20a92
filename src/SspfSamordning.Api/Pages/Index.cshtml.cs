using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Pages;

/// <summary>The start page of a fully signed-in person, whatever the role.</summary>
[Authorize(Policy = Policies.FullySignedInUser)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
