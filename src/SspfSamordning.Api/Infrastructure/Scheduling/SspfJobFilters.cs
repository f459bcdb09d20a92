using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Reminders;

namespace SspfSamordning.Api.Infrastructure.Scheduling;

/// <summary>
/// Hangfire's filters (global and attributes) for every job, except that an e-mail delivery job retries by
/// <c>Reminders:MaxAttempts</c> and <c>Reminders:RetryDelay</c> (doubling) instead of Hangfire's default of ten attempts
/// over days. This app instance's configuration, not a static one, so that test hosts in one process keep their own.
/// </summary>
public sealed class SspfJobFilters(IOptions<ReminderOptions> options) : IJobFilterProvider
{
    private readonly JobFilter emailRetry = new(EmailDeliveryJob.RetryPolicy(options.Value), JobFilterScope.Method, null);

    public IEnumerable<JobFilter> GetFilters(Job job)
    {
        var filters = JobFilterProviders.Providers.GetFilters(job);
        if (job?.Type != typeof(EmailDeliveryJob)) return filters;
        return filters.Where(f => f.Instance is not AutomaticRetryAttribute).Append(emailRetry);
    }
}
