namespace Notifications.Api.Jobs;

/// <summary>
/// Wakes the email delivery job when a transaction of this process has committed new email rows, so mail goes out at once
/// and the job can poll rarely (for retries that fall due, and for other replicas' rows).
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Wake()
    {
        try
        {
            if (signal.CurrentCount == 0) signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}
