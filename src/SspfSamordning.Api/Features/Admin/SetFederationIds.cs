using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// PATCH /api/admin/users/{id}: the identifiers a municipality's identity provider names the account by
/// (<see cref="Federation"/>: HSA-id, employee number). A field left out stays; an empty one is cleared. Only an account
/// the administrator manages (404 otherwise, as every account change); an HSA-id another account has is 409 (it is unique:
/// a federated sign-in must name one account). Logged as <see cref="AuditAction.AccountChanged"/> (purpose
/// <c>FederationIds</c>, never the values). The sessions stay: what they are bound to has not changed.
/// </summary>
public static class SetFederationIds
{
    public sealed record Request(string? HsaId, string? EmployeeNumber);

    public const int MaxLength = 64;

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPatch("/users/{id:guid}", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Results<Ok<ListUsers.UserView>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, IAuditContext audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (Problem(request.HsaId) is { } hsaProblem) errors["hsaId"] = [hsaProblem];
        if (Problem(request.EmployeeNumber) is { } numberProblem) errors["employeeNumber"] = [numberProblem];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await db.FindManagedUserAsync(principal, id, ct) is not { } user) return Problems.NotFound();

        if (request.HsaId is not null) user.HsaId = Blank(request.HsaId);
        if (request.EmployeeNumber is not null) user.EmployeeNumber = Blank(request.EmployeeNumber);
        if (user.HsaId is { } hsaId && await db.Users.AnyAsync(u => u.HsaId == hsaId && u.Id != user.Id, ct))
            return Problems.Conflict("HSA-id:t används redan", "Ett annat konto har samma HSA-id.");
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "FederationIds"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && user.HsaId is not null)
        {
            // Another request gave the same HSA-id to another account in between: the unique index refused this one.
            return Problems.Conflict("HSA-id:t används redan", "Ett annat konto har samma HSA-id.");
        }
        return TypedResults.Ok(await ListUsers.ViewAsync(db, user, ct));
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Too long, or a control character (a NUL, which PostgreSQL refuses in a parameter: that was a 500).</summary>
    private static string? Problem(string? value) => value?.Trim() is not { } trimmed ? null
        : trimmed.Length > MaxLength ? $"Högst {MaxLength} tecken."
        : DomainText.Problem(trimmed, "", MaxLength, multiline: false) is not null ? "Får inte innehålla styrtecken." : null;
}
