using System.Reflection;

namespace Identity.Api.Domain;

/// <summary>
/// OWASP ASVS 5 password rules: a minimum length and no composition rules, no common (blocklisted) passwords,
/// nothing built from the account's own name, and none of the last few passwords again.
/// </summary>
public sealed class PasswordPolicy(int minimumLength, int maximumLength, PasswordBlocklist blocklist)
{
    public int MinimumLength { get; } = minimumLength;

    public int MaximumLength { get; } = maximumLength;

    /// <summary>Rules that need no stored hashes. Returns the problems found (empty when the password is acceptable).</summary>
    public IReadOnlyList<PasswordProblem> Check(string password, string? userName)
    {
        var problems = new List<PasswordProblem>();
        var length = password.EnumerateRunes().Count();
        if (length < MinimumLength)
        {
            problems.Add(new("password_too_short", $"Use at least {MinimumLength} characters; a few unrelated words make a good password."));
        }
        else if (length > MaximumLength)
        {
            problems.Add(new("password_too_long", $"Use at most {MaximumLength} characters."));
        }

        if (blocklist.Contains(password))
        {
            problems.Add(new("password_too_common", "This password is on the list of common or breached passwords."));
        }

        // The whole username, however short, or the part before the @ when it is long enough to be more than chance.
        var localPart = userName?.Split('@')[0];
        if ((!string.IsNullOrEmpty(userName) && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
            || (localPart is { Length: >= 4 } && password.Contains(localPart, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new("password_contains_username", "The password must not contain your username."));
        }

        return problems;
    }

    public static PasswordProblem Reused(int history) =>
        new("password_reused", $"Choose a password you have not used for your last {history} passwords.");
}

public sealed record PasswordProblem(string Code, string Message);

/// <summary>Common and breached passwords shipped with the service (Domain/common-passwords.txt), compared case-insensitively.</summary>
public sealed class PasswordBlocklist
{
    private readonly HashSet<string> entries;

    public PasswordBlocklist(IEnumerable<string> entries) =>
        this.entries = new HashSet<string>(entries.Select(Normalise).Where(entry => entry.Length > 0), StringComparer.Ordinal);

    public int Count => entries.Count;

    public bool Contains(string password) => entries.Contains(Normalise(password));

    /// <summary>The list embedded in the service assembly; lines starting with '#' are comments.</summary>
    public static PasswordBlocklist LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Identity.Api.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('#'))
            {
                lines.Add(line);
            }
        }

        return new PasswordBlocklist(lines);
    }

    private static string Normalise(string value) => value.Trim().ToLowerInvariant();
}
