namespace Platform.Resilience.Tenancy;

/// <summary>A distinct client address for each simulated client machine (10.x.y.z, never repeated in a run).</summary>
public static class Addresses
{
    private static int next;

    public static string Next()
    {
        var n = Interlocked.Increment(ref next);
        return $"10.{(n >> 16) & 0xff}.{(n >> 8) & 0xff}.{n & 0xff}";
    }
}
