namespace Identity.Api.Domain;

/// <summary>
/// When a credential is warned about: 30, 14, 7 and 1 days before it expires, and at expiry (threshold 0).
/// A credential found past several thresholds at once gets only the nearest one.
/// </summary>
public static class ExpirySchedule
{
    /// <summary>Thresholds in days before expiry, furthest first; 0 is the expiry itself.</summary>
    public static readonly IReadOnlyList<int> ThresholdDays = [30, 14, 7, 1, 0];

    /// <summary>The moment the first notice of a credential expiring at <paramref name="expiresAt"/> falls due.</summary>
    public static DateTimeOffset FirstNoticeAt(DateTimeOffset expiresAt) => expiresAt.AddDays(-ThresholdDays[0]);

    /// <summary>
    /// The nearest threshold crossed at <paramref name="now"/> (null when none yet), and when the following one falls
    /// due (null after the expiry notice).
    /// </summary>
    public static (int? Due, DateTimeOffset? NextNoticeAt) Evaluate(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        int? due = null;
        foreach (var days in ThresholdDays)
        {
            if (now >= expiresAt.AddDays(-days))
            {
                due = days; // later thresholds are nearer: keep the last one crossed
            }
        }

        if (due is null)
        {
            return (null, FirstNoticeAt(expiresAt));
        }

        var next = ThresholdDays.Where(days => days < due.Value).Select(days => (int?)days).FirstOrDefault();
        return (due, next is null ? null : expiresAt.AddDays(-next.Value));
    }

    /// <summary>Days left before expiry, counting a started day as a day (so "1 day left" until the very end), never negative.</summary>
    public static int DaysLeft(DateTimeOffset expiresAt, DateTimeOffset now) =>
        expiresAt <= now ? 0 : (int)Math.Ceiling((expiresAt - now).TotalDays);

    /// <summary>Whether the notice for a threshold also goes to the practice's admins.</summary>
    public static bool TellsPracticeAdmins(string kind, int thresholdDays) =>
        kind == Platform.Contracts.Identity.CredentialKinds.ClientSecret || thresholdDays <= 7;
}
