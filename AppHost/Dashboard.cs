/// <summary>
/// The Aspire dashboard runs in every mode. Its URLs come from Properties/launchSettings.json
/// (http://localhost:18888, OTLP on 18889/18890, loopback only). In <c>local</c> mode it opens
/// without a login token; in the other modes Aspire's browser token stays on.
/// </summary>
internal static class Dashboard
{
    public static DistributedApplicationOptions CreateOptions(string[] args, InfrastructureMode mode)
    {
        // Passed as arguments rather than process environment, so a test that hosts the AppHost
        // in-process does not leak it, and so the builder's configuration records the resolved mode.
        string[] resolved = [$"--{InfrastructureModes.ConfigKey}={InfrastructureModes.Name(mode)}"];
        if (mode == InfrastructureMode.Local)
        {
            resolved = [.. resolved, "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true"];
        }

        // The caller's own arguments come last so that they win.
        return new DistributedApplicationOptions { Args = [.. resolved, .. args] };
    }
}
