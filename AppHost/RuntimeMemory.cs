/// <summary>
/// The .NET runtime's memory settings for the services, the portal and the gateway that only the environment can set
/// (the rest are in Directory.Build.props). deploy/k8s sets the same.
/// </summary>
internal static class RuntimeMemory
{
    /// <summary>
    /// The GC sizes generation 0 (what a process allocates between two collections) from the CPU's L3 cache, and virtual
    /// machines report the whole socket's: 260 MB on the benchmark machine, which let each service allocate about 200 MB
    /// between collections and peak near 400 MB under load. 16 MB is what the GC picks for a 32 MB L3 cache.
    /// </summary>
    public const string Gen0Budget = "0x1000000";

    public static IResourceBuilder<T> WithRuntimeMemorySettings<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment =>
        resource.WithEnvironment("DOTNET_GCgen0size", Gen0Budget);
}
