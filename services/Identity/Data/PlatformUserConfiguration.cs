using Identity.Api.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Identity.Api.Data;

internal sealed class PlatformUserConfiguration : IEntityTypeConfiguration<PlatformUser>
{
    public void Configure(EntityTypeBuilder<PlatformUser> builder)
    {
        builder.ToTable("users");
        builder.Property(user => user.DisplayName).HasMaxLength(200);
        builder.Property(user => user.Role).HasMaxLength(32);
        builder.Property(user => user.PracticeOds).HasMaxLength(10);
        builder.Property(user => user.Icb).HasMaxLength(10);
        builder.HasIndex(user => user.PracticeOds);

        // The expiry scanner reads only the passwords with a notice due: its cost grows with those, not with all users.
        builder.HasIndex(user => user.NextExpiryNoticeAt)
            .HasFilter("next_expiry_notice_at IS NOT NULL")
            .HasDatabaseName("ix_users_next_expiry_notice_at");
        builder.HasIndex(user => user.PasswordExpiresAt);
    }
}

internal sealed class UserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<Guid>> builder) => builder.ToTable("user_claims");
}

internal sealed class UserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<Guid>> builder) => builder.ToTable("user_logins");
}

internal sealed class UserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<Guid>> builder) => builder.ToTable("user_tokens");
}
