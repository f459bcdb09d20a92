using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Me;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages;

/// <summary>
/// The start page of a fully signed-in person, whatever the role. For a case role it is "Mina uppgifter": the API's
/// <see cref="GetTasks"/> (same visibility, same List events per case shown), due first — so overdue first.
/// </summary>
[Authorize(Policy = Policies.FullySignedInUser)]
public sealed class IndexModel(SspfDbContext db, TimeProvider time, IAuditContext audit, AuditLog log) : PageModel
{
    public const int TasksShown = 50;

    public IReadOnlyList<GetTasks.TaskView>? Tasks { get; private set; }
    public int TaskCount { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        if (!Viewer.CaseRoles.Any(User.IsInRole)) return; // the API's CaseReader policy: tasks are case work
        var tasks = (await GetTasks.Handle(User, db, time, audit, log, ct, page: 1, pageSize: TasksShown)).Value!;
        Tasks = tasks.Items;
        TaskCount = tasks.TotalCount;
    }
}
