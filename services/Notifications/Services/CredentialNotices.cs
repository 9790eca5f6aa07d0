using Microsoft.Extensions.Options;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Platform.Contracts.Identity;

namespace Notifications.Api.Services;

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

    public async Task<(RecipientList Recipients, Dictionary<string, object?> Model, string Link)> PrepareAsync(CredentialFacts facts, CancellationToken cancellationToken)
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
            var admins = await directory.PracticeAdminsAsync(facts.PracticeOds, cancellationToken);
            recipients.AddRange(admins.Select(admin => Recipient.From(admin, "admin")));
            recipients.AddRange(facts.PracticeAdminEmails.Select(email => Recipient.AddressOnly(email, "practice admin", "admin")));
        }

        var messages = options.Value;
        var practice = facts.PracticeOds is null ? null : await directory.PracticeAsync(facts.PracticeOds, cancellationToken);
        var link = isPassword
            ? messages.Link(facts.ThresholdDays == 0 ? messages.ExpiredPasswordPath : messages.ChangePasswordPath)
            : messages.Link(messages.ClientSecretsPath, ods: facts.PracticeOds);
        var left = facts.ExpiresAt - clock.GetUtcNow();
        var model = new Dictionary<string, object?>
        {
            ["is_password"] = isPassword,
            ["credential_label"] = isPassword ? "password" : "system client secret",
            ["credential_name"] = facts.DisplayName,
            ["practice_ods"] = facts.PracticeOds ?? "",
            ["practice_name"] = practice?.Name ?? facts.PracticeOds ?? "",
            ["threshold_days"] = facts.ThresholdDays,
            ["expires_at"] = formats.DateTime(facts.ExpiresAt),
            ["expires_on"] = formats.Date(facts.ExpiresAt),
            ["time_left"] = left <= TimeSpan.Zero ? "now" : Formats.Days(Math.Max(1, (int)Math.Ceiling(left.TotalDays))),
            ["action_url"] = link,
            ["reset_url"] = messages.Link(messages.ResetPasswordPath),
        };
        return (recipients, model, link);
    }
}
