namespace Platform.Cli;

/// <summary>What the exit code says failed.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotSignedIn = 3;
    public const int PasswordExpired = 4;
    public const int Rejected = 5;      // the platform refused the request (validation, conflict, forbidden...)
    public const int NotFound = 6;
    public const int Unavailable = 7;   // network, 5xx, rate limited
    public const int SubmissionFailed = 8; // status --follow ended in rejected, declined or payment-failed

    /// <summary>Every exit code with what it means, as <c>--help</c> lists them.</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Ok, "success"),
        (Failed, "failed or cancelled"),
        (Usage, "wrong usage: a missing or invalid option, argument or file"),
        (NotSignedIn, "not signed in, or the session ended: run platform-cli login"),
        (PasswordExpired, "the password has expired: change it, then sign in again"),
        (Rejected, "the platform refused the request: validation (field errors are printed), conflict, forbidden"),
        (NotFound, "not found (or not yours to see)"),
        (Unavailable, "the gateway could not be reached, answered 5xx, or is rate limiting (retry later)"),
        (SubmissionFailed, "status: the submission ended rejected, declined, payment-failed or superseded"),
    ];
}

/// <summary>A failure with the platform's problem code and the message to print.</summary>
public sealed class CliException(string message, string? code, int exitCode) : Exception(message)
{
    public string? Code { get; } = code;

    public int ExitCode { get; } = exitCode;
}
