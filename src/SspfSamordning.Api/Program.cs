using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Me;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Retention;
using SspfSamordning.Api.Infrastructure.Scheduling;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var authOptions = configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();

if (authOptions.RelaxTwoFactor && !builder.Environment.IsDevelopment())
    throw new InvalidOperationException(
        $"Auth:RelaxTwoFactor is true in environment '{builder.Environment.EnvironmentName}'. It may only be relaxed in Development.");

if (!builder.Environment.IsDevelopment()) builder.Logging.AddJsonConsole();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSspfDatabase(configuration, builder.Environment);
builder.Services.Configure<AuthOptions>(configuration.GetSection("Auth"));
builder.Services.Configure<SspfSamordning.Domain.CaseRules>(configuration.GetSection("CaseRules"));
builder.Services.AddDataProtection().SetApplicationName("SspfSamordning")
    .ProtectKeysWithMasterKey(configuration, builder.Environment);
builder.Services.AddFieldEncryption<SspfDbContext>(configuration, builder.Environment);
builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
    new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(services.GetRequiredService<IServiceScopeFactory>())));

builder.Services.AddIdentityCore<AppUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        o.Password.RequiredLength = 12;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = authOptions.MaxFailedAccessAttempts;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(authOptions.LockoutMinutes);
    })
    .AddRoles<IdentityRole<Guid>>()
    .AddEntityFrameworkStores<SspfDbContext>()
    .AddErrorDescriber<SwedishIdentityErrors>();
builder.Services.AddScoped<TokenService>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<IAuditContext, AuditContext>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddScoped<SecondFactor>();
builder.Services.AddAuthentication(BearerHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder().AddSspfPolicies(authOptions.RelaxTwoFactor);
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedAuthorization>();
builder.Services.AddSspfRateLimits(configuration);

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
});
// Binding failures throw in every environment, so that ExceptionHandler answers them one way.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ExceptionHandler>();
builder.Services.AddOpenApi();
// Background jobs (Hangfire): each recurring job passes its static Schedule method here.
builder.Services.Configure<ReminderOptions>(configuration.GetSection("Reminders"));
builder.Services.Configure<EmailOptions>(configuration.GetSection("Email"));
builder.Services.AddSingleton<EmailSender>();
builder.Services.AddScoped<ReminderDispatcher>();
builder.Services.AddScoped<EmailDeliveryJob>();
builder.Services.Configure<RetentionOptions>(configuration.GetSection("Retention"));
builder.Services.AddSspfJobs(configuration, DispatchRemindersJob.Schedule, RetentionJob.Schedule, AuditCheckpointJob.Schedule);
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<KeyRingHealthCheck>("key-ring", tags: ["ready"])
    .AddCheck<ReminderQueueHealthCheck>("reminders", tags: ["ready"]);

var app = builder.Build();

if (args.Contains("--migrate"))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Database.MigrateAsync();
    // Hangfire's tables, in their own schema: the app itself never creates them (it may run without DDL rights).
    if (scope.ServiceProvider.GetRequiredService<SspfDbContext>().Database.IsNpgsql())
        Jobs.InstallPostgresSchema(configuration.GetConnectionString("Sspf")!);
    app.Logger.LogInformation("Database migrated.");
    // Part of migrating: values an earlier version stored in plaintext are encrypted now (idempotent, resumable).
    await EncryptionCommands.RunAsync(app.Services, ["--reencrypt"], app.Logger);
    return;
}

if (args.Contains("--verify-audit"))
{
    await using var scope = app.Services.CreateAsyncScope();
    // --checkpoint SEQUENCE:HASH — one exported earlier (GET /api/audit/checkpoints) and kept elsewhere.
    var external = args.SkipWhile(a => a != "--checkpoint").Skip(1).FirstOrDefault()?.Split(':') is [var sequence, var hash]
        ? new ExternalCheckpoint(long.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture), hash.ToLowerInvariant()) : null;
    var result = await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), CancellationToken.None, external: external);
    Console.WriteLine(result.Valid
        ? $"Access log intact: {result.CheckedEvents} events checked."
        : result.FirstBrokenEventId is { } broken
            ? $"Access log BROKEN at event {broken} ({result.CheckedEvents} events checked)."
            : $"Access log BROKEN: {result.Problem} ({result.CheckedEvents} events checked).");
    Environment.ExitCode = result.Valid ? 0 : 1;
    return;
}

#if BENCH
if (args.Contains("--bench-seed"))
{
    await SspfSamordning.Api.Features.Bench.BenchSeed.RunAsync(app.Services, args, app.Logger);
    return;
}
#endif

if (args.Intersect(EncryptionCommands.Flags).Any())
{
    await EncryptionCommands.RunAsync(app.Services, args, app.Logger);
    return;
}

if (app.Environment.IsDevelopment())
{
    await using var scope = app.Services.CreateAsyncScope();
    // Off where the schema's owner migrates and the app runs as a role that may not change it (db/roles-postgres.sql).
    if (configuration.GetValue("Database:MigrateOnStart", true))
    {
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsNpgsql()) Jobs.InstallPostgresSchema(configuration.GetConnectionString("Sspf")!);
    }
    await DemoSeed.SeedAsync(scope.ServiceProvider, configuration["Demo:Password"] ?? DemoSeed.DefaultPassword);
}
else
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.Use(async (http, next) =>
{
    http.Response.OnStarting(() =>
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return Task.CompletedTask;
    });
    await next();
});
app.UseAuthentication();
JobsDashboard.Map(app);
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

var api = app.MapGroup("/api");
var auth = api.MapGroup("/auth");
Login.Map(auth);
Refresh.Map(auth);
Logout.Map(auth);
ChangePassword.Map(auth);
SetUpTwoFactor.Map(auth);
EnableTwoFactor.Map(auth);
NewRecoveryCodes.Map(auth);
GetMe.Map(api);
var admin = api.MapGroup("/admin");
CreateUser.Map(admin);
SetUserRoles.Map(admin);
DisableUser.Map(admin);
ReminderQueue.Map(admin);
CaseEndpoints.Map(api);
SspfSamordning.Api.Features.ConcernReports.ConcernReportEndpoints.Map(api);
SspfSamordning.Api.Features.Workflows.WorkflowEndpoints.Map(api);
GetTasks.Map(api);
ListNotifications.Map(api);
MarkNotificationRead.Map(api);
SspfSamordning.Api.Features.Audit.AuditEndpoints.Map(api);
#if BENCH
SspfSamordning.Api.Features.Bench.BaselineEndpoint.Map(app);
#endif

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
