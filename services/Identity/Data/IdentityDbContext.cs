using Identity.Api.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;

namespace Identity.Api.Data;

/// <summary>
/// Identity's own database: users (ASP.NET Core Identity), OpenIddict's applications, authorizations and tokens,
/// practices, system clients, password history, expiry notices, one-time tokens, the server's keys and the
/// data-protection keys every replica shares (login cookie, antiforgery).
/// </summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options)
    : IdentityUserContext<PlatformUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Practice> Practices => Set<Practice>();

    public DbSet<SystemClient> SystemClients => Set<SystemClient>();

    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    public DbSet<CredentialNotice> CredentialNotices => Set<CredentialNotice>();

    public DbSet<OneTimeToken> OneTimeTokens => Set<OneTimeToken>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict<Guid>();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IdentityDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
