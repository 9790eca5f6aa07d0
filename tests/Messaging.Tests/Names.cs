namespace Messaging.Tests;

internal static class Names
{
    /// <summary>A service name no other test uses, so each test gets its own queues.</summary>
    public static string UniqueService(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
