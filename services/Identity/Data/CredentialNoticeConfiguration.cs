using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Identity.Api.Data;

internal sealed class CredentialNoticeConfiguration : IEntityTypeConfiguration<CredentialNotice>
{
    public void Configure(EntityTypeBuilder<CredentialNotice> builder)
    {
        builder.ToTable("credential_notices");
        builder.HasKey(notice => notice.Id);
        builder.Property(notice => notice.Kind).HasMaxLength(20);

        // Each threshold of each credential version is announced once, whatever the number of scanners.
        builder.HasIndex(notice => new { notice.Kind, notice.CredentialId, notice.Version, notice.ThresholdDays })
            .IsUnique()
            .HasDatabaseName("ux_credential_notices_once");
    }
}
