using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Platform.ServiceDefaults;

namespace Identity.Api.Application;

/// <summary>
/// A person's security stamp changes whenever their sessions must end (disabled, password changed, reset or set):
/// before such a change is saved, every token not tagged with the new stamp is revoked everywhere (<see cref="TokenRevocations"/>). Revoking
/// first means a save that then fails has ended sessions needlessly, never left them running; when the revocation cannot
/// be recorded, nothing is saved.
/// </summary>
public sealed class EndSessionsOnNewSecurityStamp(TokenRevocations revocations) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var ended = eventData.Context?.ChangeTracker.Entries<PlatformUser>()
            .Where(entry => entry.State == EntityState.Modified && entry.Property(user => user.SecurityStamp).IsModified)
            .Select(entry => entry.Entity).ToList() ?? [];
        foreach (var user in ended) await revocations.RevokeAsync(user.Id.ToString(), TokenRevocations.TagOf(user.SecurityStamp!), cancellationToken);
        return result;
    }
}
