using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The request's audit context reads the caller's fields from the claims once per principal (a list logs an event per
/// listed case): every event must still carry the user signed in when it was made, also when the user changes within
/// the request (a sign-in) or signs out.
/// </summary>
public sealed class AuditContextTests
{
    private static ClaimsPrincipal User(Guid id, Guid municipality, string party, params string[] roles) =>
        new(new ClaimsIdentity(
            [new(ClaimTypes.NameIdentifier, id.ToString()), new(SspfClaims.Municipality, municipality.ToString()), new(SspfClaims.Party, party),
             .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "test"));

    [Fact]
    public void EveryEvent_CarriesTheUserSignedInWhenItWasMade()
    {
        var http = new DefaultHttpContext();
        var audit = new AuditContext(new HttpContextAccessor { HttpContext = http }, TimeProvider.System);
        var (first, second, municipality, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        http.User = User(first, municipality, "Socialtjanst", "Samordnare", "Analytiker");
        audit.Read(AuditAction.List, Guid.NewGuid());
        audit.Read(AuditAction.List, Guid.NewGuid());
        Assert.All(audit.Reads, e =>
        {
            Assert.Equal(first, e.ActorUserId);
            Assert.Equal("Analytiker,Samordnare", e.Roles);
            Assert.Equal("Socialtjanst", e.Party);
            Assert.Equal(municipality, e.MunicipalityId);
        });

        http.User = User(second, other, "Polis", "Polis");
        var afterSignIn = audit.NewEvent(AuditAction.Read);
        Assert.Equal((second, "Polis", "Polis", other), (afterSignIn.ActorUserId!.Value, afterSignIn.Roles, afterSignIn.Party!, afterSignIn.MunicipalityId!.Value));

        http.User = new ClaimsPrincipal(new ClaimsIdentity());
        var signedOut = audit.NewEvent(AuditAction.LoginFailed, actorUserId: first);
        Assert.Equal(first, signedOut.ActorUserId);
        Assert.Equal("", signedOut.Roles);
        Assert.Null(signedOut.Party);
        Assert.Null(signedOut.MunicipalityId);
    }
}
