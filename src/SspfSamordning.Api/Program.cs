using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
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
using SspfSamordning.Api.Infrastructure.Startup;
using SspfSamordning.Api.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var authOptions = configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
authOptions.Validate();

if (authOptions.RelaxTwoFactor && !builder.Environment.IsDevelopment())
    throw new InvalidOperationException(
        $"Auth:RelaxTwoFactor is true in environment '{builder.Environment.EnvironmentName}'. It may only be relaxed in Development.");

if (!builder.Environment.IsDevelopment()) builder.Logging.AddJsonConsole();

if (DataFolder.Problem(configuration, builder.Environment) is { } dataFolderProblem)
{
    Console.Error.WriteLine(dataFolderProblem);
    Environment.ExitCode = 2;
    return;
}

builder.WebHost.AddRequestBodyLimits(configuration);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<NativeHeapTrim>(); // the working set (issue 22): glibc's free pages back every half minute
ProductionChecks.RequireExplicitDatabase(configuration, builder.Environment);
builder.Services.AddSspfDatabase(configuration, builder.Environment);
builder.Services.Configure<AuthOptions>(configuration.GetSection("Auth"));
builder.Services.Configure<SspfSamordning.Domain.CaseRules>(configuration.GetSection("CaseRules"));
builder.Services.AddDataProtection().SetApplicationName("SspfSamordning")
    .ProtectKeysWithMasterKey(configuration, builder.Environment);
builder.Services.AddFieldEncryption<SspfDbContext>(configuration, builder.Environment);
builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
    new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(services.GetRequiredService<IServiceScopeFactory>(),
        services.GetRequiredService<MasterKeyCertificate>().Certificate, services.GetRequiredService<ILogger<DatabaseXmlRepository>>())));

builder.Services.AddIdentityCore<AppUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        // Length and a list of common and breached passwords, no character classes (ASVS 5.0 V6.2; CommonPasswordValidator).
        o.Password.RequiredLength = 12;
        o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = authOptions.MaxFailedAccessAttempts;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(authOptions.LockoutMinutes);
    })
    .AddRoles<IdentityRole<Guid>>()
    .AddEntityFrameworkStores<SspfDbContext>()
    .AddErrorDescriber<SwedishIdentityErrors>()
    .AddPasswordValidator<CommonPasswordValidator>();
// Identity's store, with the authenticator key encrypted and recovery codes hashed.
builder.Services.Replace(ServiceDescriptor.Scoped<IUserStore<AppUser>, SecondFactorStore>());
builder.Services.AddScoped<SessionStore>();
builder.Services.AddScoped<FailedSignIns>();
builder.Services.AddScoped<PasswordSignIn>();
builder.Services.AddSingleton<DummyPasswordHash>();
builder.Services.AddSingleton<UnknownAccountEvents>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<IAuditContext, AuditContext>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddScoped<SecondFactor>();
// OpenID Connect / OAuth 2.0 server (OpenIddict): token endpoint, discovery, reference tokens (Infrastructure/Auth/OpenIdServer.cs).
builder.Services.AddSspfOpenIdServer(configuration, builder.Environment, authOptions);
// Sign-in through a municipality's own OpenID Connect provider (OpenIddict's client), when configured (Infrastructure/Auth/Federation.cs).
builder.Services.AddSspfFederation(configuration, builder.Environment);
builder.Services.AddAuthentication(BearerHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, null)
    .AddSspfWebSession(builder.Environment);
// OpenIddict's request handlers asked on their own endpoints only (CPU on every other request; ProtocolRequestSchemes.cs).
builder.Services.AddSingleton<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider, ProtocolRequestSchemes>();
builder.Services.AddSspfWeb(builder.Environment);
builder.Services.AddAuthorizationBuilder().AddSspfPolicies(authOptions.RelaxTwoFactor);
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedAuthorization>();
builder.Services.AddSspfRateLimits(configuration);
var forwardedHeaders = KnownProxies.FromConfiguration(configuration);
builder.Services.AddHsts(o =>
{
    o.MaxAge = TimeSpan.FromDays(365);
    o.IncludeSubDomains = true;
});

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
});
// Binding failures throw in every environment, so that ExceptionHandler answers them one way.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ExceptionHandler>();
builder.Services.AddSingleton<DatabaseOutage>();
builder.Services.AddSspfOpenApi();
// Background jobs (Hangfire): each recurring job passes its static Schedule method here.
// An e-mail job's claim must outlast its send (bounded by Email:Timeout), or a second job sends it beside the first.
builder.Services.AddOptions<ReminderOptions>().Bind(configuration.GetSection("Reminders"))
    .Validate<IOptions<EmailOptions>>((reminders, email) => reminders.EmailClaim > email.Value.Timeout,
        "Reminders:EmailClaim must be longer than Email:Timeout.")
    .ValidateOnStart();
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
StartupReport.Log(app);
ProductionChecks.LogDatabase(app.Services, configuration, app.Environment, app.Logger);

if (args.Contains("--migrate"))
{
    await using var scope = app.Services.CreateAsyncScope();
    try
    {
        await MigrateSchemaAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>());
    }
    catch (Exception e) when (Database.DescribeFailure(configuration, e) is { } line)
    {
        // An unreachable or refusing server: one line naming it and the cause, no stack trace.
        Console.Error.WriteLine(line);
        Environment.ExitCode = 2;
        return;
    }
    app.Logger.LogInformation("Database migrated.");
    // The key ring is signed with the master key; elements stored unsigned by an earlier version are signed here, by the operator, only.
    var signed = await SignedKeyRing.SignUnsignedAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(),
        app.Services.GetRequiredService<MasterKeyCertificate>().Certificate, CancellationToken.None);
    if (signed > 0) app.Logger.LogInformation("Signed {Count} key ring elements stored before signing.", signed);
    // Part of migrating: values an earlier version stored in plaintext are encrypted now (idempotent, resumable).
    await EncryptionCommands.RunAsync(app.Services, ["--reencrypt"], app.Logger);
    return;
}

if (args.Contains("--verify-audit"))
{
    await using var scope = app.Services.CreateAsyncScope();
    // --checkpoint [STRIPE:]SEQUENCE:HASH [--checkpoint-at TIME] — one exported earlier (GET /api/audit/checkpoints) and kept
    // elsewhere; without a stripe, stripe 0.
    var at = args.SkipWhile(a => a != "--checkpoint-at").Skip(1).FirstOrDefault() is { } t
        ? DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
    var external = args.SkipWhile(a => a != "--checkpoint").Skip(1).FirstOrDefault()?.Split(':') switch
    {
        [var sequence, var hash] => new ExternalCheckpoint(long.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture), hash.ToLowerInvariant(), at),
        [var stripe, var sequence, var hash] => new ExternalCheckpoint(long.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture),
            hash.ToLowerInvariant(), at, short.Parse(stripe, System.Globalization.CultureInfo.InvariantCulture)),
        _ => null,
    };
    var erasableBefore = scope.ServiceProvider.GetRequiredService<IOptions<RetentionOptions>>().Value
        .AccessLogErasableBefore(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
    var result = await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), CancellationToken.None,
        external: external, erasableBefore: erasableBefore);
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

if (args.Contains(RegisterClient.Flag))
{
    Environment.ExitCode = await RegisterClient.RunAsync(app.Services, args, Console.Out, Console.Error);
    return;
}

if (args.Intersect(EncryptionCommands.Flags).Any())
{
    await EncryptionCommands.RunAsync(app.Services, args, app.Logger);
    return;
}

// First: everything after it (HSTS, HTTPS redirection, rate limits, logs) sees the client's address and scheme.
if (forwardedHeaders is not null) app.UseForwardedHeaders(forwardedHeaders);

if (app.Environment.IsDevelopment())
{
    await using var scope = app.Services.CreateAsyncScope();
    try
    {
        // Off where the schema's owner migrates and the app runs as a role that may not change it (db/roles-postgres.sql).
        if (configuration.GetValue("Database:MigrateOnStart", true))
            await MigrateSchemaAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>());
        await DemoSeed.SeedAsync(scope.ServiceProvider, configuration["Demo:Password"] ?? DemoSeed.DefaultPassword);
        if (configuration.GetValue("Demo:Cases", false)) await DemoCases.SeedAsync(scope.ServiceProvider);
        await OpenIdServer.SeedDevelopmentClientAsync(scope.ServiceProvider);
    }
    catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
    {
        // e.g. a read-only database file, or an unreachable server: one line naming the folder or the server and the cause, no stack trace.
        Console.Error.WriteLine(configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite) == DatabaseProvider.Sqlite
            ? DataFolder.Describe(DataFolder.Path(configuration, app.Environment), e)
            : Database.DescribeFailure(configuration, e) ?? e.Message.ReplaceLineEndings(" "));
        Environment.ExitCode = 2;
        return;
    }
}
else
{
    if (await Database.UnreachableAsync(app.Services, configuration) is { } unreachable)
    {
        Console.Error.WriteLine(unreachable);
        Environment.ExitCode = 2;
        return;
    }
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
#if BENCH
SspfSamordning.Api.Features.Bench.ReadPhases.Use(app);
#endif
app.Use(async (http, next) =>
{
    http.Response.OnStarting(() =>
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Every 401, the login's included, names the scheme (RFC 9110 11.6.1).
        if (http.Response.StatusCode == StatusCodes.Status401Unauthorized && !headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.WWWAuthenticate))
            headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    });
    await next();
});
app.UseSspfWeb();
app.UseRequestBodyLimits(configuration);
// The rate limits come before authentication: OpenIddict answers a refused token request there, and it must count.
app.UseTokenFormReading();
app.UseRateLimiter();
app.UseAuthentication();
JobsDashboard.Map(app);
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
if (app.Environment.IsDevelopment())
{
    // The interactive reference at /scalar: its script is embedded in Scalar.AspNetCore and served by the app; nothing
    // is loaded from a CDN (no web fonts), no telemetry, no AI agent, no request proxy.
    app.MapScalarApiReference(o =>
    {
        o.DefaultFonts = false;
        o.Telemetry = false;
        o.ProxyUrl = null;
        o.Agent = new ScalarAgentOptions { Disabled = true };
        o.AddPreferredSecuritySchemes(OpenApiDocumentation.BearerScheme);
    }).AllowAnonymous();
}
app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

ConnectToken.Map(app);
ConnectAuthorize.Map(app);
FederatedSignIn.Map(app);
var api = app.MapGroup("/api").DescribeForOpenApi();
var auth = api.MapGroup("/auth");
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
SetFederationIds.Map(admin);
ResetTwoFactor.Map(admin);
ListRoleGrants.Map(admin);
DecideRoleGrant.Map(admin);
ListUnits.Map(admin);
ListUsers.Map(admin);
RegisterClient.Map(admin);
ListClients.Map(admin);
ChangeClient.Map(admin);
RotateClientSecret.Map(admin);
RemoveClient.Map(admin);
ReminderQueue.Map(admin);
CaseEndpoints.Map(api);
SspfSamordning.Api.Features.ConcernReports.ConcernReportEndpoints.Map(api);
SspfSamordning.Api.Features.Workflows.WorkflowEndpoints.Map(api);
SspfSamordning.Api.Features.Staff.SearchStaff.Map(api);
GetTasks.Map(api);
ListNotifications.Map(api);
MarkNotificationRead.Map(api);
SspfSamordning.Api.Features.Audit.AuditEndpoints.Map(api);
SspfSamordning.Api.Features.Statistics.GetStatistics.Map(api);
app.MapSspfWeb();
#if BENCH
SspfSamordning.Api.Features.Bench.BaselineEndpoint.Map(app);
SspfSamordning.Api.Features.Bench.SecureBaselineEndpoint.Map(app);
SspfSamordning.Api.Features.Bench.ReadPhases.Map(app);
SspfSamordning.Api.Features.Bench.ReadVariants.Map(app);
SspfSamordning.Api.Features.Bench.RuntimeTimeline.Start(app.Lifetime);
#endif

app.Run();

// The schema as its owner changes it (`--migrate`, and Development's migrate-on-start): EF's migrations, then
// Hangfire's tables in their own schema on PostgreSQL and SQL Server — the app itself never creates them (it may run without DDL rights).
async Task MigrateSchemaAsync(SspfDbContext db)
{
    await db.Database.MigrateAsync();
    Jobs.InstallSchema(db.Database, configuration.GetConnectionString("Sspf")!);
}

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
