using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// The Case aggregate: the root, its Youth (a complex property in the case's row), and its children — each child row carries the case id.
/// Every personal datum is encrypted with the case's data key (security.md, "Field-level encryption");
/// the personnummer is found through a blind index.
/// </summary>
internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.ToTable("Cases");
        b.HasEncryptionKeyOwner(c => c.Id);
        b.Property<long>(Aggregates.Version).IsConcurrencyToken();
        b.Property<string>(Aggregates.PersonnummerIndex).HasMaxLength(16);
        b.HasIndex(nameof(Case.MunicipalityId), Aggregates.PersonnummerIndex);
        b.Property(c => c.CloseComment).IsEncrypted();
        b.Property(c => c.CaseNumber).HasMaxLength(32);
        b.HasIndex(c => new { c.MunicipalityId, c.CaseNumber }).IsUnique();
        b.HasIndex(c => new { c.MunicipalityId, c.State });
        // The Id last: "the ids of this municipality's cases", which every statistics query joins on
        // (Features/Statistics), is then read from the index alone, not from the wide rows of the table.
        b.HasIndex(c => new { c.MunicipalityId, c.OpenedAt, c.Id });
        b.HasOne<Auth.Municipality>().WithMany().HasForeignKey(c => c.MunicipalityId).OnDelete(DeleteBehavior.Restrict);
        b.PrimitiveCollection(c => c.ProposedParties).HasField("_proposedParties").ElementType(e => e.HasConversion<string>());
        // A complex property, not an owned entity, in the same columns: a case is then one entry of the change tracker, not
        // two sharing a row — as owned, every load, change scan, save and acceptance of a case walked the youth's entry
        // too, and the save paired the two for the shared row (issue 22, round fourteen: about 3 % of a transition's API
        // CPU in the profile). The encrypted values keep their location (Cases, the column, the case's id).
        b.ComplexProperty(c => c.Youth, y =>
        {
            y.Property(x => x.Personnummer).HasColumnName("YouthPersonnummer").IsEncrypted();
            y.Property(x => x.GivenName).HasColumnName("YouthGivenName").IsEncrypted();
            y.Property(x => x.FamilyName).HasColumnName("YouthFamilyName").IsEncrypted();
            y.Property(x => x.School).HasColumnName("YouthSchool").IsEncrypted();
            y.Property(x => x.Address).HasColumnName("YouthAddress").IsEncrypted();
            y.Property(x => x.ProtectedIdentity).HasColumnName("YouthProtectedIdentity");
        });
        b.HasOne(c => c.ActionPlan).WithOne().HasForeignKey<ActionPlan>(Aggregates.CaseId).OnDelete(DeleteBehavior.Cascade);
        Children(b.HasMany(c => c.Guardians));
        Children(b.HasMany(c => c.Members));
        Children(b.HasMany(c => c.MembershipHistory));
        Children(b.HasMany(c => c.Consents));
        Children(b.HasMany(c => c.Meetings));
        Children(b.HasMany(c => c.Interventions));
        Children(b.HasMany(c => c.FollowUps));
        Children(b.HasMany(c => c.Disclosures));
        // Deadlines and history rows belong to a case or to a concern report: their CaseId is optional.
        Children(b.HasMany(c => c.Deadlines), required: false);
        Children(b.HasMany(c => c.History), required: false);
    }

    private static void Children<T>(CollectionNavigationBuilder<Case, T> children, bool required = true) where T : class =>
        children.WithOne().HasForeignKey(Aggregates.CaseId).IsRequired(required).OnDelete(DeleteBehavior.Cascade);
}

internal sealed class GuardianConfiguration : IEntityTypeConfiguration<Guardian>
{
    public void Configure(EntityTypeBuilder<Guardian> b)
    {
        b.ToTable("Guardians");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        b.Property(g => g.GivenName).IsEncrypted();
        b.Property(g => g.FamilyName).IsEncrypted();
        b.Property(g => g.Personnummer).IsEncrypted();
        b.Property(g => g.Phone).IsEncrypted();
        b.Property(g => g.Email).IsEncrypted();
        b.Property(g => g.Address).IsEncrypted();
    }
}

internal sealed class CaseMemberConfiguration : IEntityTypeConfiguration<CaseMember>
{
    public void Configure(EntityTypeBuilder<CaseMember> b)
    {
        b.ToTable("CaseMembers");
        // Visibility starts from the user's memberships: (UserId, CaseId) answers "which cases is this user in".
        b.HasIndex(nameof(CaseMember.UserId), Aggregates.CaseId).IsUnique();
    }
}

internal sealed class MembershipPeriodConfiguration : IEntityTypeConfiguration<MembershipPeriod>
{
    public void Configure(EntityTypeBuilder<MembershipPeriod> b)
    {
        b.ToTable("CaseMembershipPeriods");
        // The non-member report asks, per read: did this user have a period on this case that covers the read's time?
        b.HasIndex(Aggregates.CaseId, nameof(MembershipPeriod.UserId), nameof(MembershipPeriod.From));
    }
}

internal sealed class ConsentConfiguration : IEntityTypeConfiguration<Consent>
{
    public void Configure(EntityTypeBuilder<Consent> b)
    {
        b.ToTable("Consents");
        b.PrimitiveCollection(c => c.Parties).HasField("_parties").ElementType(e => e.HasConversion<string>());
        b.PrimitiveCollection(c => c.Categories).HasField("_categories").ElementType(e => e.HasConversion<string>());
        b.HasMany(c => c.Answers).WithOne().HasForeignKey("ConsentId").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(Aggregates.CaseId, nameof(Consent.State));
    }
}

internal sealed class ConsentAnswerConfiguration : IEntityTypeConfiguration<ConsentAnswer>
{
    public void Configure(EntityTypeBuilder<ConsentAnswer> b)
    {
        b.ToTable("ConsentAnswers");
        b.Ignore(a => a.Signatory);
        Aggregates.EncryptWithKeyOf(b);
        b.Property(a => a.DocumentRef).IsEncrypted();
        b.Property(a => a.VerbalRecordedBy).IsEncrypted();
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> b)
    {
        b.ToTable("Meetings");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        // The statistics' meetings held per month (Features/Statistics): the period, the case and the kind from the
        // index alone, not from the wide rows (minutes, invitees); 20,000 table pages at 100,000 meetings, 600 index pages.
        b.HasIndex(nameof(Meeting.HeldAt), Aggregates.CaseId, nameof(Meeting.Kind));
        b.Property(m => m.Location).IsEncrypted();
        b.Property(m => m.Minutes).IsEncrypted();
        b.PrimitiveCollection(m => m.InviteeUserIds).HasField("_inviteeUserIds");
        b.PrimitiveCollection(m => m.AttendeeUserIds).HasField("_attendeeUserIds");
        b.PrimitiveCollection(m => m.AttendingGuardianIds).HasField("_attendingGuardianIds");
    }
}

internal sealed class ActionPlanConfiguration : IEntityTypeConfiguration<ActionPlan>
{
    public void Configure(EntityTypeBuilder<ActionPlan> b)
    {
        b.ToTable("ActionPlans");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        b.Property(p => p.Goals).IsEncrypted();
    }
}

internal sealed class InterventionConfiguration : IEntityTypeConfiguration<Intervention>
{
    public void Configure(EntityTypeBuilder<Intervention> b)
    {
        b.ToTable("Interventions");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        b.Property(i => i.Goal).IsEncrypted();
        b.Property(i => i.OutcomeComment).IsEncrypted();
        b.Property(i => i.DecisionReference).IsEncrypted();
    }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> b)
    {
        b.ToTable("FollowUps");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        b.Property(f => f.OverallAssessment).IsEncrypted();
        b.HasMany(f => f.Assessments).WithOne().HasForeignKey("FollowUpId").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FollowUpAssessmentConfiguration : IEntityTypeConfiguration<FollowUpAssessment>
{
    public void Configure(EntityTypeBuilder<FollowUpAssessment> b)
    {
        b.ToTable("FollowUpAssessments");
        Aggregates.EncryptWithKeyOf(b);
        b.Property(a => a.Assessment).IsEncrypted();
    }
}

internal sealed class DisclosureConfiguration : IEntityTypeConfiguration<Disclosure>
{
    public void Configure(EntityTypeBuilder<Disclosure> b)
    {
        b.ToTable("Disclosures");
        b.HasEncryptionKeyOwner(Aggregates.CaseId);
        b.Property(d => d.Justification).IsEncrypted();
        b.Property(d => d.DecisionMaker).IsEncrypted();
        b.PrimitiveCollection(d => d.Categories).HasField("_categories").ElementType(e => e.HasConversion<string>());
        b.Property(d => d.LegalBasis).HasMaxLength(200);
        b.HasIndex(d => d.ReceivingPoliceUserId);
    }
}

/// <summary>Deadlines of cases and of concern reports share one table: <c>/api/me/tasks</c> reads it by responsible user.</summary>
internal sealed class DeadlineConfiguration : IEntityTypeConfiguration<Deadline>
{
    public void Configure(EntityTypeBuilder<Deadline> b)
    {
        b.ToTable("Deadlines");
        b.HasIndex(d => new { d.ResponsibleUserId, d.State, d.DueAt });
        b.HasIndex(d => new { d.State, d.DueAt });
    }
}

internal sealed class TransitionEventConfiguration : IEntityTypeConfiguration<TransitionEvent>
{
    public void Configure(EntityTypeBuilder<TransitionEvent> b)
    {
        b.ToTable("TransitionEvents");
        b.Property<long>(Aggregates.Sequence);
        Aggregates.EncryptWithKeyOf(b);
        b.Property(e => e.Reason).IsEncrypted();
        b.Property(e => e.Workflow).HasMaxLength(32);
        b.Property(e => e.From).HasMaxLength(64);
        b.Property(e => e.To).HasMaxLength(64);
        b.Property(e => e.Trigger).HasMaxLength(64);
        // The statistics' history queries (Features/Statistics): "which events of this workflow reached this state in
        // this period" — closed cases, consent outcomes, days to a valid consent. Without it each is a sequential scan
        // of the whole history (bench/results/statistics.md shows the plans before and after). The case and the
        // subject last: the queries then read the events from the index alone (no visit to each event's row), the
        // municipality's 100,000 consent events in a few hundred index pages instead of ~18,000 table pages.
        b.HasIndex(nameof(TransitionEvent.Workflow), nameof(TransitionEvent.To), nameof(TransitionEvent.At), Aggregates.CaseId, nameof(TransitionEvent.SubjectId));
    }
}
