namespace SspfSamordning.Domain.Cases;

/// <summary>
/// Decision 9 (docs/domain-rules.md), the one rule for which information category a record of a case belongs to:
/// joint records — the meetings and their minutes, the action plan, a follow-up and its assessment of the case as a
/// whole — belong to <see cref="JointRecord"/> (Basic), shared by the whole consented team; an insats and its own
/// assessment at a follow-up belong to the category of the party that owns the insats.
/// </summary>
public static class RecordCategories
{
    /// <summary>The category of every joint record of the case.</summary>
    public const InformationCategory JointRecord = InformationCategory.Basic;

    /// <summary>The category of what <paramref name="owner"/> records about its own work in the case.</summary>
    public static InformationCategory OfParty(Party owner) => owner switch
    {
        Party.Skola => InformationCategory.School,
        Party.Socialtjanst => InformationCategory.SocialServicesSspfNotes,
        Party.Polis => InformationCategory.Police,
        // Fritid, Region and Annan have no category of their own: their insatser are joint records.
        _ => JointRecord,
    };

    /// <summary>The category of an insats (and of its own assessment at a follow-up): its owner party's.</summary>
    public static InformationCategory Of(Intervention intervention) => OfParty(intervention.OwnerParty);

    /// <summary>Whether a caller shown <paramref name="categories"/> sees the joint records.</summary>
    public static bool ShowsJointRecords(IReadOnlySet<InformationCategory> categories) => categories.Contains(JointRecord);

    /// <summary>Whether a caller shown <paramref name="categories"/> sees <paramref name="intervention"/>: the section is a joint record, the item its owner's.</summary>
    public static bool Shows(IReadOnlySet<InformationCategory> categories, Intervention intervention) =>
        ShowsJointRecords(categories) && categories.Contains(Of(intervention));

    /// <summary>
    /// The assessments of <paramref name="followUp"/> that a caller shown <paramref name="categories"/> sees: each one
    /// only with its insats. (The assessment of the case as a whole is a joint record.)
    /// </summary>
    public static IEnumerable<FollowUpAssessment> VisibleAssessments(
        FollowUp followUp, IEnumerable<Intervention> interventions, IReadOnlySet<InformationCategory> categories)
    {
        var shown = interventions.Where(i => Shows(categories, i)).Select(i => i.Id).ToHashSet();
        return followUp.Assessments.Where(a => shown.Contains(a.InterventionId));
    }
}
