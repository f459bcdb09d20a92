using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>The ConcernReport aggregate: its own root, sharing the Deadlines and TransitionEvents tables with cases.</summary>
internal sealed class ConcernReportConfiguration : IEntityTypeConfiguration<ConcernReport>
{
    public void Configure(EntityTypeBuilder<ConcernReport> b)
    {
        b.ToTable("ConcernReports");
        // A concern report has a data key of its own: it is erased by socialtjänst's rules, not the case's.
        b.HasEncryptionKeyOwner(r => r.Id);
        b.Property(r => r.Content).IsEncrypted();
        b.Property(r => r.YouthPersonnummer).IsEncrypted();
        b.Property(r => r.YouthName).IsEncrypted();
        b.Property(r => r.ProtectionAssessment).IsEncrypted();
        b.Property<long>(Aggregates.Version).IsConcurrencyToken();
        b.HasOne<Auth.Municipality>().WithMany().HasForeignKey(r => r.MunicipalityId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.MunicipalityId, r.State });
        b.HasIndex(r => r.ReporterUserId);
        b.HasIndex(r => r.CaseId);
        b.HasMany(r => r.Deadlines).WithOne().HasForeignKey(Aggregates.ConcernReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.History).WithOne().HasForeignKey(Aggregates.ConcernReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
