namespace Platform.ServiceDefaults;

/// <summary>A lock that every replica of a service takes, for work only one of them may do at a time.</summary>
public interface IReplicaLock
{
    /// <summary>Waits until this replica holds the lock; disposing the result releases it.</summary>
    IDisposable Take();
}
