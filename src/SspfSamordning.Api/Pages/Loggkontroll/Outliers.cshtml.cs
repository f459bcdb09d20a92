using Microsoft.AspNetCore.Authorization;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>/loggkontroll/ovanlig-volym (Granskare): the API's <see cref="VolumeOutliers"/> report, logged as the API logs it.</summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class OutliersModel(SspfDbContext db, TimeProvider time) : PeriodReportModel<VolumeOutliers.Outlier>
{
    protected override string PageName => "/Loggkontroll/Outliers";

    protected override async Task<PagedList<VolumeOutliers.Outlier>> QueryAsync(DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken ct) =>
        (await VolumeOutliers.Handle(db, User, time, ct, from, to, page)).Value!;
}
