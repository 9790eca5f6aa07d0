namespace Identity.Api.Domain;

/// <summary>
/// Lockout after too many failed sign-ins: <see cref="MaxFailures"/> in a row lock the account for <see cref="Duration"/>.
/// The counting itself is one atomic UPDATE (Services/SignInChecker), so parallel guesses cannot slip past it.
/// </summary>
public sealed record Lockout(int MaxFailures, TimeSpan Duration)
{
    public static bool IsLocked(DateTimeOffset? lockoutEnd, DateTimeOffset now) => lockoutEnd is { } end && end > now;
}
