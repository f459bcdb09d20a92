using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Persistence;

internal sealed class MunicipalityConfiguration : IEntityTypeConfiguration<Municipality>
{
    public void Configure(EntityTypeBuilder<Municipality> b)
    {
        b.Property(m => m.Name).HasMaxLength(100);
        b.Property(m => m.Code).HasMaxLength(4);
        b.HasIndex(m => m.Code).IsUnique();
    }
}

internal sealed class PartyUnitConfiguration : IEntityTypeConfiguration<PartyUnit>
{
    public void Configure(EntityTypeBuilder<PartyUnit> b)
    {
        b.Property(u => u.Name).HasMaxLength(200);
        b.HasMany(u => u.Municipalities).WithOne().HasForeignKey(m => m.UnitId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UnitMunicipalityConfiguration : IEntityTypeConfiguration<UnitMunicipality>
{
    public void Configure(EntityTypeBuilder<UnitMunicipality> b)
    {
        b.HasKey(m => new { m.UnitId, m.MunicipalityId });
        b.HasOne<Municipality>().WithMany().HasForeignKey(m => m.MunicipalityId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => m.MunicipalityId);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        // Only SecondFactor's conditional ExecuteUpdate writes the TOTP step (see AppUser.LastTotpTimeStep).
        b.Property(u => u.LastTotpTimeStep).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        b.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
        // The identifiers a municipality's identity provider may name a person by (Infrastructure/Auth/Federation.cs).
        // An HSA-id is national and names one person; an employee number is the employer's, so only looked up within
        // the provider's municipality (and two matches there refuse the sign-in).
        b.Property(u => u.HsaId).HasMaxLength(64);
        b.HasIndex(u => u.HsaId).IsUnique();
        b.Property(u => u.EmployeeNumber).HasMaxLength(64);
        b.HasIndex(u => u.EmployeeNumber);
    }
}

internal sealed class AuthSessionConfiguration : IEntityTypeConfiguration<AuthSession>
{
    public void Configure(EntityTypeBuilder<AuthSession> b)
    {
        b.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(s => s.RevokedReason).HasMaxLength(64);
        b.HasIndex(s => s.UserId);
    }
}
