using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// Every scope's <see cref="SspfDbContext"/> comes from a pool (Database.AddSspfDbContext). A context that served
/// one person's request must carry nothing of it into the next person's: no unwrapped key, no plaintext, no tracked
/// entity, no pending or uncommitted write, and the next request's events must name the next person.
/// </summary>
public sealed class PooledContextTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string Marker = "pooled-context-test";

    [Fact]
    public async Task APooledContext_ReusedByAnotherPersonsRequest_SeesNothingOfTheFirst()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var requests = factory.Services.GetRequiredService<IHttpContextAccessor>();
        var firstPerson = Guid.CreateVersion7();
        var secondPerson = Guid.CreateVersion7();

        SspfDbContext served;
        KeyRing firstRing;
        DataKeyMaterial key;
        requests.HttpContext = new DefaultHttpContext { User = Person(firstPerson, Party.Skola, Roles.Samordnare) };
        try
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                served = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
                Assert.Same(scope.ServiceProvider.GetRequiredService<IAuditContext>(), served.Audit);
                // The first request's state: a tracked, decrypted case; an unwrapped key; a write in a transaction it never
                // commits (as a request that fails half-way); and an event added but never saved.
                var read = await served.Cases.SingleAsync(c => c.Id == caseId);
                Assert.Equal("Testsson", read.Youth.FamilyName);
                firstRing = KeyRings.Of(served);
                key = await firstRing.CurrentAsync(caseId);
                Assert.Contains(key.Key, b => b != 0);
                await served.Database.BeginTransactionAsync();
                served.AccessEvents.Add(served.Audit.NewEvent(AuditAction.Read, caseId: caseId, purpose: Marker));
                await served.SaveChangesAsync();
                served.AccessEvents.Add(served.Audit.NewEvent(AuditAction.Read, caseId: caseId, purpose: Marker));
                Assert.NotEmpty(served.ChangeTracker.Entries());
            }

            // The second person's request: rent until the pool hands out the same instance (the others stay rented meanwhile).
            requests.HttpContext = new DefaultHttpContext { User = Person(secondPerson, Party.Polis, Roles.Polis) };
            var held = new List<AsyncServiceScope>();
            try
            {
                IServiceProvider? reusing = null;
                for (var i = 0; i < 200 && reusing is null; i++)
                {
                    var scope = factory.Services.CreateAsyncScope();
                    held.Add(scope);
                    if (ReferenceEquals(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), served)) reusing = scope.ServiceProvider;
                }
                Assert.NotNull(reusing); // the pool handed the first request's context out again
                var db = served;

                Assert.Empty(db.ChangeTracker.Entries());
                Assert.Null(db.Database.CurrentTransaction);
                Assert.All(key.Key, b => Assert.Equal(0, b));
                Assert.NotSame(firstRing, KeyRings.Of(db));
                var audit = db.Audit;
                Assert.Same(reusing.GetRequiredService<IAuditContext>(), audit);
                Assert.Equal(secondPerson, audit.NewEvent(AuditAction.Read).ActorUserId);
                Assert.Equal(0, await db.SaveChangesAsync());
                Assert.Equal(0, await db.AccessEvents.CountAsync(e => e.Purpose == Marker));
                // Its new ring unwraps the key again from the store: the case still decrypts.
                Assert.Equal("Testsson", (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).Youth.FamilyName);
            }
            finally
            {
                foreach (var scope in held) await scope.DisposeAsync();
            }
        }
        finally
        {
            requests.HttpContext = null;
        }
        // The access log is intact after the rolled-back link.
        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.True((await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), CancellationToken.None)).Valid);
    }

    private static ClaimsPrincipal Person(Guid id, Party party, string role) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, id.ToString()),
        new Claim(SspfClaims.Party, party.ToString()),
        new Claim(ClaimTypes.Role, role),
    ], "Test"));
}
