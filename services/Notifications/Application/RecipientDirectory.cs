using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.ServiceDefaults;

namespace Notifications.Api.Application;

/// <summary>Looks people up in Notifications' own directory (fed by Identity's events; Identity is never called).</summary>
public sealed class RecipientDirectory(NotificationsDbContext db, IMemoryCache cache)
{
    /// <summary>
    /// How long a practice's name is kept in memory: each submission's two messages name the practice, and a rename reaches
    /// another replica's messages within this (the replica that takes the registration forgets the old name at once).
    /// </summary>
    public static readonly TimeSpan PracticeNameLifetime = TimeSpan.FromMinutes(1);

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

    /// <summary>
    /// The practice admins and whoever submitted the version (when known and not an admin already), in one query: the
    /// submitter's user id comes from <c>submitters</c> inside it.
    /// </summary>
    public async Task<RecipientList> AdminsAndSubmitterAsync(string practiceOds, Guid submissionId, int version, CancellationToken cancellationToken)
    {
        var people = await AdminsAndSubmitterQuery(db, practiceOds, submissionId, version).ToListAsync(cancellationToken);
        var isAdmin = people.ToLookup(person => person.PracticeOds == practiceOds && person.HasRole(PlatformRoles.PracticeAdmin));
        return new RecipientList()
            .AddRange(isAdmin[true].Select(admin => Recipient.From(admin, "admin")))
            .AddRange(isAdmin[false].Select(submitter => Recipient.From(submitter, "submitter")));
    }

    /// <summary>What a receipt needs from the directory: the practice's name, whether the version's submitter is recorded, and whom to tell.</summary>
    public sealed record ForReceipt(string PracticeName, bool SubmitterRecorded, RecipientList Recipients);

    /// <summary>
    /// <see cref="ForReceipt"/> in one query (each round trip is CPU on both ends): the practice's name, whether
    /// <c>submitters</c> has the version, and the submitter with the practice admins, of whom only the submitter is told
    /// when the directory knows them (as <see cref="SubmitterOrAdminsAsync"/>). Two queries only while the practice is not
    /// in the directory yet.
    /// </summary>
    public async Task<ForReceipt> ForReceiptAsync(Guid submissionId, int version, string? submittedBy, string practiceOds, CancellationToken cancellationToken)
    {
        Guid? submitterId = Guid.TryParse(submittedBy, out var userId) ? userId : null;
        var found = await ForReceiptQuery(db, practiceOds, submissionId, version, submitterId, cancellationToken);
        if (found is null)
        {
            var recorded = db.Submitters.Where(submitter => submitter.SubmissionId == submissionId && submitter.Version == version);
            var people = Active().Where(person => person.UserId == submitterId
                || (person.PracticeOds == practiceOds && person.Roles.Contains(PlatformRoles.PracticeAdmin)));
            return new ForReceipt(practiceOds, await recorded.AnyAsync(cancellationToken),
                SubmitterOrAdmins(await people.ToListAsync(cancellationToken), submitterId));
        }

        cache.Set(PracticeNameKey(practiceOds), found.Name, PracticeNameLifetime);
        return new ForReceipt(found.Name, found.Recorded, SubmitterOrAdmins(found.People, submitterId));
    }

    // The two queries every submission's messages run, compiled once: built as LINQ at each call, their expression trees
    // and EF Core's query-cache lookup were 11% of Notifications' CPU under a steady load (perf, bench/README.md).

    /// <summary>Not disabled, with an address. Declared before the compiled queries, whose static initialisers read it.</summary>
    private static readonly Expression<Func<Person, bool>> CanBeTold = person => person.DisabledAt == null && person.Email != null;

    private sealed class ReceiptRow
    {
        public required string Name { get; init; }
        public required bool Recorded { get; init; }
        public required List<Person> People { get; init; }
    }

    private static readonly Func<NotificationsDbContext, string, Guid, int, Guid?, CancellationToken, Task<ReceiptRow?>> ForReceiptQuery =
        EF.CompileAsyncQuery((NotificationsDbContext db, string practiceOds, Guid submissionId, int version, Guid? submitterId, CancellationToken _) =>
            db.Practices.AsNoTracking()
                .Where(practice => practice.Ods == practiceOds)
                .Select(practice => new ReceiptRow
                {
                    Name = practice.Name,
                    Recorded = db.Submitters.Any(submitter => submitter.SubmissionId == submissionId && submitter.Version == version),
                    People = db.People.AsNoTracking()
                        .Where(CanBeTold)
                        .Where(person => person.UserId == submitterId
                            || (person.PracticeOds == practiceOds && person.Roles.Contains(PlatformRoles.PracticeAdmin)))
                        .OrderBy(person => person.Email)
                        .ToList(),
                })
                .SingleOrDefault());

    private static readonly Func<NotificationsDbContext, string, Guid, int, IAsyncEnumerable<Person>> AdminsAndSubmitterQuery =
        EF.CompileAsyncQuery<NotificationsDbContext, string, Guid, int, Person>((db, practiceOds, submissionId, version) =>
            db.People.AsNoTracking()
                .Where(CanBeTold)
                .Where(person => (person.PracticeOds == practiceOds && person.Roles.Contains(PlatformRoles.PracticeAdmin))
                    || person.UserId == db.Submitters
                        .Where(submitter => submitter.SubmissionId == submissionId && submitter.Version == version)
                        .Select(submitter => submitter.SubmitterUserId)
                        .FirstOrDefault())
                .OrderBy(person => person.Email));

    /// <summary>Of the submitter and the practice admins read together: the submitter when among them, else the admins.</summary>
    private static RecipientList SubmitterOrAdmins(List<Person> people, Guid? submitterId) =>
        people.FirstOrDefault(person => person.UserId == submitterId) is { } known
            ? new RecipientList().Add(Recipient.From(known, "submitter"))
            : new RecipientList().AddRange(people.Select(admin => Recipient.From(admin, "admin")));

    /// <summary>The practice's name for messages, or its ODS code while the directory does not know it.</summary>
    public async Task<string> PracticeNameAsync(string ods, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(PracticeNameKey(ods), out string? name)) return name!;
        name = (await PracticeAsync(ods, cancellationToken))?.Name;
        if (name is null) return ods; // not registered yet: looked up again next time
        cache.Set(PracticeNameKey(ods), name, PracticeNameLifetime);
        return name;
    }

    /// <summary>After a registration changed a practice, so this replica's next message uses the new name.</summary>
    public void ForgetPracticeName(string ods) => cache.Remove(PracticeNameKey(ods));

    private static (string, string) PracticeNameKey(string ods) => ("practice-name", ods);

    private IQueryable<Person> ActiveWithRole(string role) => Active().Where(person => person.Roles.Contains(role));

    /// <summary>People who can be told: not disabled, with an address; in address order.</summary>
    private IQueryable<Person> Active() => db.People.AsNoTracking().Where(CanBeTold).OrderBy(person => person.Email);

}
