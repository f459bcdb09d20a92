using System.Security.Claims;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>The caller as the server sees it on this request (claims re-read from the database by <see cref="BearerHandler"/>).</summary>
public sealed record Viewer(Guid UserId, Party Party, IReadOnlySet<string> Roles, IReadOnlyList<Guid> Municipalities)
{
    /// <summary>The roles that work with case content; Administratör, Granskare and Analytiker never see it.</summary>
    public static readonly IReadOnlySet<string> CaseRoles = new HashSet<string>
    {
        Auth.Roles.Samordnare, Auth.Roles.Socialsekreterare, Auth.Roles.Polis, Auth.Roles.Skola, Auth.Roles.Fritid,
    };

    public static Viewer From(ClaimsPrincipal user) => new(
        user.UserId(), user.PartyOf(),
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(), user.Municipalities());

    public bool IsCoordinator => Roles.Contains(Auth.Roles.Samordnare);
    public bool IsSocialServices => Party == Party.Socialtjanst && Roles.Contains(Auth.Roles.Socialsekreterare);
    public bool SeesCaseContent => Roles.Overlaps(CaseRoles);
}
