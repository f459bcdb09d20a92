using Microsoft.AspNetCore.Authorization;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>/loggkontroll/utanfor-teamet (Granskare): the API's <see cref="NonMemberAccess"/> report, logged as the API logs it.</summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class NonMembersModel(SspfDbContext db) : PeriodReportModel<AuditEndpoints.EventView>
{
    protected override string PageName => "/Loggkontroll/NonMembers";

    protected override async Task<PagedList<AuditEndpoints.EventView>> QueryAsync(DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken ct) =>
        (await NonMemberAccess.Handle(db, User, ct, from, to, page)).Value!;
}
