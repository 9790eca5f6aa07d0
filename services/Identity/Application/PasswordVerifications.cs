using System.Diagnostics.Metrics;
using Platform.ServiceDefaults;

namespace Identity.Api.Application;

/// <summary>
/// Counts the password hashes a sign-in check verifies (<c>platform.identity.password_verifications</c>): one per check,
/// against the account's hash or, for an unknown account, a stand-in one, so the answer takes as long either way. The
/// count is how that is tested: timing differences are measured in the benchmark, never asserted in a test.
/// </summary>
public sealed class PasswordVerifications
{
    public const string Name = "platform.identity.password_verifications";

    private readonly Counter<long> verified;

    public PasswordVerifications(IMeterFactory meters)
    {
        Meter = meters.Create(TelemetryDefaults.PlatformTelemetryName);
        verified = Meter.CreateCounter<long>(Name, "{verification}", "Password hashes verified by sign-in checks, real or stand-in.");
    }

    public Meter Meter { get; }

    public void Verified() => verified.Add(1);
}
