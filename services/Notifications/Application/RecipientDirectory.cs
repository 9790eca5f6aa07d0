using Microsoft.EntityFrameworkCore;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.ServiceDefaults;

namespace Notifications.Api.Application;

/// <summary>Looks people up in Notifications' own directory (fed by Identity's events; Identity is never called).</summary>
public sealed class RecipientDirectory(NotificationsDbContext db)
{
    public Task<Person?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        db.People.AsNoTracking().SingleOrDefaultAsync(person => person.UserId == userId, cancellationToken);

    /// <summary>The person behind a <c>SubmittedBy</c> value, when it is a user id the directory knows and they are still active.</summary>
    public async Task<Person?> FindSubmitterAsync(string? submittedBy, CancellationToken cancellationToken) =>
        Guid.TryParse(submittedBy, out var userId) && await FindAsync(userId, cancellationToken) is { IsActive: true, Email: not null } person
            ? person
            : null;

    public Task<List<Person>> PracticeAdminsAsync(string? practiceOds, CancellationToken cancellationToken) =>
        ActiveWithRole(PlatformRoles.PracticeAdmin).Where(person => practiceOds != null && person.PracticeOds == practiceOds).ToListAsync(cancellationToken);

    public async Task<List<Person>> CommissionersAsync(string icb, CancellationToken cancellationToken)
    {
        // A commissioner's ICB is on their registration.
        return await ActiveWithRole(PlatformRoles.Commissioner).Where(person => person.Icb == icb).ToListAsync(cancellationToken);
    }

    public Task<List<Person>> PlatformAdminsAsync(CancellationToken cancellationToken) =>
        ActiveWithRole(PlatformRoles.PlatformAdmin).ToListAsync(cancellationToken);

    public Task<DirectoryPractice?> PracticeAsync(string ods, CancellationToken cancellationToken) =>
        db.Practices.AsNoTracking().SingleOrDefaultAsync(practice => practice.Ods == ods, cancellationToken);

    /// <summary>Who submitted a submission version, as its <c>SubmissionAccepted</c> said.</summary>
    public async Task<string?> SubmittedByAsync(Guid submissionId, int version, CancellationToken cancellationToken) =>
        await db.Submitters.AsNoTracking()
            .Where(submitter => submitter.SubmissionId == submissionId && submitter.Version == version)
            .Select(submitter => submitter.SubmittedBy)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The practice's admins: the directory's active ones, then any address the event names that the directory does not
    /// know yet (<paramref name="namedEmails"/>).
    /// </summary>
    public async Task<IEnumerable<Recipient>> AdminsAsync(string? practiceOds, IEnumerable<string> namedEmails, CancellationToken cancellationToken) =>
        (await PracticeAdminsAsync(practiceOds, cancellationToken)).Select(admin => Recipient.From(admin, "admin"))
            .Concat(namedEmails.Select(Recipient.AdminAddress));

    /// <summary>The submitter; when they are unknown (a system client, or not in the directory yet), the practice admins.</summary>
    public async Task<RecipientList> SubmitterOrAdminsAsync(string? submittedBy, string practiceOds, CancellationToken cancellationToken)
    {
        var recipients = new RecipientList();
        if (await FindSubmitterAsync(submittedBy, cancellationToken) is { } submitter)
        {
            return recipients.Add(Recipient.From(submitter, "submitter"));
        }
        return recipients.AddRange(await AdminsAsync(practiceOds, [], cancellationToken));
    }

    /// <summary>The practice admins and whoever submitted the version (when known and not an admin already).</summary>
    public async Task<RecipientList> AdminsAndSubmitterAsync(string practiceOds, Guid submissionId, int version, CancellationToken cancellationToken)
    {
        var recipients = new RecipientList().AddRange(await AdminsAsync(practiceOds, [], cancellationToken));
        var submittedBy = await SubmittedByAsync(submissionId, version, cancellationToken);
        if (await FindSubmitterAsync(submittedBy, cancellationToken) is { } submitter)
        {
            recipients.Add(Recipient.From(submitter, "submitter"));
        }
        return recipients;
    }

    public async Task<string> PracticeNameAsync(string ods, CancellationToken cancellationToken) =>
        (await PracticeAsync(ods, cancellationToken))?.Name ?? ods;

    private IQueryable<Person> ActiveWithRole(string role) =>
        db.People.AsNoTracking()
            .Where(person => person.DisabledAt == null && person.Email != null && person.Roles.Contains(role))
            .OrderBy(person => person.Email);
}
