using System.Diagnostics;
using Microsoft.Extensions.Configuration;

/// <summary>Where PostgreSQL, RabbitMQ, Redis and the SMTP server come from.</summary>
internal enum InfrastructureMode
{
    /// <summary>Debian packages and the smtp4dev local tool, started by the AppHost as executables.</summary>
    Local,

    /// <summary>Containers through Docker or Podman.</summary>
    Containers,

    /// <summary>Provided servers: connection strings and SMTP settings from configuration.</summary>
    External,
}

/// <summary>
/// Resolves <c>Infrastructure:Mode</c> before the builder exists (the dashboard's access depends on it).
/// A configured value (command line <c>--Infrastructure:Mode=x</c> or env <c>Infrastructure__Mode=x</c>) wins;
/// otherwise <c>containers</c> when a container engine answers within a few seconds, else <c>local</c>.
/// </summary>
internal static class InfrastructureModes
{
    public const string ConfigKey = "Infrastructure:Mode";

    private static readonly TimeSpan EngineProbeTimeout = TimeSpan.FromSeconds(3);

    public static InfrastructureMode Resolve(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        var configured = configuration[ConfigKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Parse(configured);
        }

        return ContainerEngineAnswers(configuration["ASPIRE_CONTAINER_RUNTIME"])
            ? InfrastructureMode.Containers
            : InfrastructureMode.Local;
    }

    public static InfrastructureMode Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "local" => InfrastructureMode.Local,
        "containers" or "container" => InfrastructureMode.Containers,
        "external" => InfrastructureMode.External,
        _ => throw new InvalidOperationException(
            $"{ConfigKey} is '{value}'; expected local, containers or external."),
    };

    public static string Name(InfrastructureMode mode) => mode.ToString().ToLowerInvariant();

    private static bool ContainerEngineAnswers(string? preferredRuntime)
    {
        string[] candidates = string.IsNullOrWhiteSpace(preferredRuntime) ? ["docker", "podman"] : [preferredRuntime];
        return candidates.Any(runtime => OnPath(runtime) && Answers(runtime));
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));

    private static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(EngineProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
