namespace Gateway.Tests;

/// <summary>A fresh client address and username per test, so tests running in parallel never share a rate limit.</summary>
public static class Addresses
{
    private static int next;

    public static string Next()
    {
        var n = Interlocked.Increment(ref next);
        return $"10.{(n >> 16) & 0xff}.{(n >> 8) & 0xff}.{n & 0xff}";
    }

    public static string Username() => $"user-{Guid.NewGuid():N}@example.test";
}
