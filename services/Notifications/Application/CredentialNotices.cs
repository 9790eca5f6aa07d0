using Microsoft.Extensions.Options;
using Notifications.Api.Templates;
using Platform.Contracts.Identity;

namespace Notifications.Api.Application;

/// <summary>The facts of an expiry warning or notice, whichever event carried them.</summary>
public sealed record CredentialFacts(string Kind, Guid? OwnerUserId, string? Email, string DisplayName, string? PracticeOds,
    DateTimeOffset ExpiresAt, int ThresholdDays, IReadOnlyList<string> PracticeAdminEmails);

/// <summary>
/// Who hears of an expiring or expired credential, and what they read. A password: its owner; at 7 days, 1 day and
/// expiry also the practice's admins. A system client's secret: the practice's admins. Admins are the directory's
/// active practice admins plus any address the event names that the directory does not know yet.
/// </summary>
public sealed class CredentialNotices(RecipientDirectory directory, IOptions<MessageOptions> options, Formats formats, TimeProvider clock)
{
    public const int AdminThresholdDays = 7;

    public async Task<(RecipientList Recipients, CredentialModel Model, string Link)> PrepareAsync(CredentialFacts facts, CancellationToken cancellationToken)
    {
        var isPassword = facts.Kind == CredentialKinds.Password;
        var recipients = new RecipientList();
        if (isPassword && facts.OwnerUserId is { } ownerId)
        {
            var owner = await directory.FindAsync(ownerId, cancellationToken);
            // The event's address is the one Identity holds at the scan; the directory's may lag behind it.
            recipients.Add(new Recipient(ownerId, facts.Email ?? owner?.Email, owner?.DisplayName ?? facts.DisplayName, "owner", owner?.MutedEmailKinds ?? []));
        }
        var tellAdmins = !isPassword || facts.ThresholdDays <= AdminThresholdDays;
        if (tellAdmins)
        {
            recipients.AddRange(await directory.AdminsAsync(facts.PracticeOds, facts.PracticeAdminEmails, cancellationToken));
        }

        var messages = options.Value;
        var practice = facts.PracticeOds is null ? null : await directory.PracticeAsync(facts.PracticeOds, cancellationToken);
        var link = isPassword
            ? messages.Link(facts.ThresholdDays == 0 ? messages.ExpiredPasswordPath : messages.ChangePasswordPath)
            : messages.Link(messages.ClientSecretsPath, ods: facts.PracticeOds);
        var left = facts.ExpiresAt - clock.GetUtcNow();
        var model = new CredentialModel(
            IsPassword: isPassword,
            CredentialName: facts.DisplayName,
            PracticeName: practice?.Name ?? facts.PracticeOds ?? "",
            ExpiresAt: formats.DateTime(facts.ExpiresAt),
            ExpiresOn: formats.Date(facts.ExpiresAt),
            TimeLeft: left <= TimeSpan.Zero ? "now" : Formats.Days(Math.Max(1, (int)Math.Ceiling(left.TotalDays))),
            ActionUrl: link,
            ResetUrl: messages.Link(messages.ResetPasswordPath));
        return (recipients, model, link);
    }
}
