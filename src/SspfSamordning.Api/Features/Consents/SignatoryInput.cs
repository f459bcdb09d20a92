using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// <c>signatory</c> ("Youth" | "Guardian") and <c>guardianId</c> of a consent body: a guardian is named by
/// id, the youth never carries one. Whether that person must sign now is the domain's rule (409).
/// </summary>
internal static class SignatoryInput
{
    public static Signatory? Parse(SignatoryKind? kind, Guid? guardianId, IDictionary<string, string[]> errors)
    {
        switch (kind)
        {
            case null:
                errors["signatory"] = ["Ange vem som undertecknar: Youth eller Guardian."];
                return null;
            case SignatoryKind.Guardian when guardianId is not { } id || id == Guid.Empty:
                errors["guardianId"] = ["Ange vilken vårdnadshavare som undertecknar."];
                return null;
            case SignatoryKind.Guardian:
                return Signatory.Guardian(guardianId.Value);
            default:
                if (guardianId is null) return Signatory.Youth;
                errors["guardianId"] = ["Ange ingen vårdnadshavare när ungdomen undertecknar."];
                return null;
        }
    }
}
