using Microsoft.Extensions.Options;

namespace Platform.Messaging;

internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    // Rows left by a crash wait at most about SweepAfter + SweepInterval.
    private static readonly TimeSpan MaxSweep = TimeSpan.FromMinutes(1);

    // Retries hold the message in memory (no delayed redelivery), so they must stay short.
    private static readonly TimeSpan MaxRetryInterval = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var failures = new List<string>();
        if (options.PrefetchCount is < 1 or > 1000)
        {
            failures.Add($"Messaging:PrefetchCount must be between 1 and 1000 (was {options.PrefetchCount}).");
        }

        if (options.RetryIntervals.Any(interval => interval < TimeSpan.Zero || interval > MaxRetryInterval))
        {
            failures.Add($"Messaging:RetryIntervals must each be between 0 and {MaxRetryInterval}.");
        }

        if (options.SweepInterval <= TimeSpan.Zero || options.SweepInterval > MaxSweep)
        {
            failures.Add($"Messaging:SweepInterval must be more than 0 and at most {MaxSweep} (was {options.SweepInterval}).");
        }

        if (options.SweepIntervalWhenIdle <= TimeSpan.Zero || options.SweepIntervalWhenIdle > MaxSweep)
        {
            failures.Add($"Messaging:SweepIntervalWhenIdle must be more than 0 and at most {MaxSweep} (was {options.SweepIntervalWhenIdle}).");
        }

        if (options.SweepAfter < TimeSpan.Zero || options.SweepAfter > MaxSweep)
        {
            failures.Add($"Messaging:SweepAfter must be between 0 and {MaxSweep} (was {options.SweepAfter}).");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add($"Messaging:BatchSize must be between 1 and 1000 (was {options.BatchSize}).");
        }

        if (options.PublishTimeout <= TimeSpan.Zero || options.PublishTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Messaging:PublishTimeout must be more than 0 and at most 5 minutes (was {options.PublishTimeout}).");
        }

        if (options.Retention < TimeSpan.FromHours(1))
        {
            failures.Add($"Messaging:Retention must be at least one hour (was {options.Retention}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
