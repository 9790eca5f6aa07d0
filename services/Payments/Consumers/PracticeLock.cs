using Microsoft.EntityFrameworkCore;
using Payments.Api.Data;

namespace Payments.Api.Consumers;

/// <summary>
/// A transaction-scoped PostgreSQL advisory lock per practice: consumers that change a practice's payments take it first, so a
/// registration and a submission, or two versions of one submission, never interleave, whichever replica handles them.
/// </summary>
internal static class PracticeLock
{
    public static Task TakeAsync(PaymentsDbContext db, string practiceOds, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"practice|" + practiceOds}, 0))", cancellationToken);
}
