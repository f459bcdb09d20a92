using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

public sealed record ConsentAnswerView(
    SignatoryKind SignatoryKind, Guid? GuardianId, bool Given, ConsentForm Form, string? DocumentRef, string? VerbalRecordedBy,
    Party ObtainedBy, Guid RecordedByUserId, DateTimeOffset AnsweredAt);

public sealed record ConsentView(
    Guid Id, ConsentState State, IReadOnlyList<Party> Parties, IReadOnlyList<InformationCategory> Categories,
    DateTimeOffset RequestedAt, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, DateTimeOffset? ScopeNarrowedAt,
    IReadOnlyList<ConsentAnswerView> Answers, IReadOnlyList<string> PermittedTriggers)
{
    public static ConsentView From(Consent k, DateTimeOffset now) => new(
        k.Id, k.State, [.. k.Parties], [.. k.Categories], k.RequestedAt, k.ValidFrom, k.ValidTo, k.ScopeNarrowedAt,
        [.. k.Answers.OrderBy(a => a.AnsweredAt).Select(a => new ConsentAnswerView(
            a.SignatoryKind, a.GuardianId, a.Given, a.Form, a.DocumentRef, a.VerbalRecordedBy, a.ObtainedBy, a.RecordedByUserId, a.AnsweredAt))],
        [.. k.PermittedTriggers(now).Select(t => t.ToString())]);
}
