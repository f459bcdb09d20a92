using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Disclosures;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// GET /api/cases/{id}/history: the transitions of the case and of what inside it the caller may see — a
/// disclosure's events only for socialtjänst and its receiving police member, an intervention's only with its
/// category, consents', meetings' and follow-ups' only with the Basic category. The case's own events are shown to
/// every reader, their free text (a close's comment, a reopen's reason) only with Basic, as the case shows its close
/// comment (<see cref="CaseDetail"/>). Oldest first, paged.
/// </summary>
public static class CaseHistory
{
    public sealed record EventView(Guid Id, string Workflow, Guid SubjectId, string From, string To, string Trigger, string? Reason, Guid ActorUserId, DateTimeOffset At);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/history", Handle).RequireAuthorization(Policies.CaseReader);

    public static async Task<Results<Ok<PagedList<EventView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        if (await db.LoadForReadAsync(id, viewer, now, ct) is not { } @case) return Problems.NotFound();
        return TypedResults.Ok(await EventsAsync(@case, viewer, now, db, paging, ct));
    }

    /// <summary>
    /// The history of a case the same request has just read through <see cref="GetCase.ReadAsync"/> (the case page shows
    /// both): the same filter on the aggregate that read loaded — visibility decided once, the aggregate not read twice.
    /// </summary>
    internal static Task<PagedList<EventView>> OfReadAsync(GetCase.Read read, SspfDbContext db, CancellationToken ct, int? page = null, int? pageSize = null) =>
        EventsAsync(read.Aggregate, read.Viewer, read.Now, db, Paging.From(page, pageSize), ct);

    private static async Task<PagedList<EventView>> EventsAsync(Case @case, Viewer viewer, DateTimeOffset now, SspfDbContext db, Paging paging, CancellationToken ct)
    {
        var hidden = HiddenSubjects(@case, viewer, now);
        var basic = CaseAccess.CategoriesFor(@case, viewer, now).Contains(InformationCategory.Basic);
        var id = @case.Id;
        var events = db.Cases.Where(c => c.Id == id).SelectMany(c => c.History)
            .Where(e => !hidden.Contains(e.SubjectId) && (basic || e.Workflow == Case.WorkflowName));
        var total = await events.CountAsync(ct);
        // Whole rows, not a projection: the reason is encrypted and only decrypted when the entity is materialized.
        var rows = await events.AsNoTracking().OrderBy(e => e.At).ThenBy(e => EF.Property<long>(e, Aggregates.Sequence))
            .Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var items = rows.Select(e => new EventView(e.Id, e.Workflow, e.SubjectId, e.From, e.To, e.Trigger, basic ? e.Reason : WithoutText(e), e.ActorUserId, e.At)).ToList();
        return new PagedList<EventView>(items, paging.Page, paging.PageSize, total);
    }

    /// <summary>
    /// A case event's reason for a reader without Basic: a close's reason code, which the case shows to every reader, without
    /// its comment (<see cref="Case.Close"/> records "reason: comment"); no other reason (a reopen's is free text).
    /// </summary>
    private static string? WithoutText(TransitionEvent e) =>
        e.Trigger == nameof(CaseTrigger.Close) && e.Reason is { } reason ? reason.Split(':', 2)[0] : null;

    /// <summary>The disclosures and interventions of the case that the caller may not see.</summary>
    private static List<Guid> HiddenSubjects(Case @case, Viewer viewer, DateTimeOffset now)
    {
        var categories = CaseAccess.CategoriesFor(@case, viewer, now);
        return
        [
            .. @case.Disclosures.Where(d => !DisclosureView.IsVisibleTo(d, viewer)).Select(d => d.Id),
            .. @case.Interventions.Where(i => !categories.Contains(i.Category)).Select(i => i.Id),
        ];
    }
}
