using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Identity.Api.Data;

internal sealed class SystemClientConfiguration : IEntityTypeConfiguration<SystemClient>
{
    public void Configure(EntityTypeBuilder<SystemClient> builder)
    {
        builder.ToTable("system_clients");
        builder.HasKey(client => client.Id);
        builder.Property(client => client.ClientId).HasMaxLength(100);
        builder.HasIndex(client => client.ClientId).IsUnique();
        builder.Property(client => client.DisplayName).HasMaxLength(200);
        builder.Property(client => client.PracticeOds).HasMaxLength(10);
        builder.HasIndex(client => client.PracticeOds);
        builder.HasIndex(client => client.NextExpiryNoticeAt)
            .HasFilter("next_expiry_notice_at IS NOT NULL")
            .HasDatabaseName("ix_system_clients_next_expiry_notice_at");
        builder.HasIndex(client => client.SecretExpiresAt);
        builder.HasOne<Practice>().WithMany().HasForeignKey(client => client.PracticeOds);
    }
}
