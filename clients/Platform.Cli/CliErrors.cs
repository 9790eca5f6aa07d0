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
}

/// <summary>A failure with the platform's problem code and the message to print.</summary>
public sealed class CliException(string message, string? code, int exitCode) : Exception(message)
{
    public string? Code { get; } = code;

    public int ExitCode { get; } = exitCode;
}
