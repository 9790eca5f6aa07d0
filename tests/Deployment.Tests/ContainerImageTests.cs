using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Deployment.Tests;

/// <summary>
/// The images `dotnet publish /t:PublishContainer` produces (the four services, the practice portal and the gateway) (Directory.Build.targets) are the ones deploy/k8s runs,
/// with the runtime settings the benchmarks chose (Directory.Build.props), which travel in each image's runtimeconfig.json.
/// Only evaluates the projects: publishing needs the base image from a registry, which tests never pull.
/// </summary>
public sealed class ContainerImageTests
{
    public static TheoryData<string, string> Projects => new()
    {
        { "services/Identity/Identity.Api.csproj", "identity" },
        { "services/Submissions/Submissions.Api.csproj", "submissions" },
        { "services/Payments/Payments.Api.csproj", "payments" },
        { "services/Notifications/Notifications.Api.csproj", "notifications" },
        { "portal/Portal.csproj", "portal" },
        { "gateway/Gateway.csproj", "gateway" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_publishes_the_image_the_deployment_runs_as_a_non_root_chiseled_container_with_the_chosen_runtime_settings(string project, string name)
    {
        var (properties, runtimeOptions) = Evaluate(project, "ContainerRepository", "ContainerBaseImage", "ContainerUser", "EnableSdkContainerSupport", "ServerGarbageCollection");

        Assert.Equal("false", properties["ServerGarbageCollection"]);
        Assert.Equal("0", runtimeOptions.GetValueOrDefault("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"));

        Assert.Equal($"platform/{name}", properties["ContainerRepository"]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", properties["ContainerBaseImage"]);
        Assert.Equal("1654", properties["ContainerUser"]);
        Assert.Equal("true", properties["EnableSdkContainerSupport"]);

        var deployment = K8sTool.Render(Repository.PathOf("deploy", "k8s", "base"))
            .Single(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["name"]!.GetValue<string>() == name);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal(properties["ContainerRepository"], pod["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(1654, pod["securityContext"]!["runAsUser"]!.GetValue<int>());
    }

    /// <summary>The named properties, and the runtimeconfig.json options (<c>RuntimeHostConfigurationOption</c> items) by name.</summary>
    private static (Dictionary<string, string> Properties, Dictionary<string, string> RuntimeOptions) Evaluate(string project, params string[] names)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(Repository.PathOf(project.Split('/')));
        foreach (var name in names)
        {
            start.ArgumentList.Add($"-getProperty:{name}");
        }
        start.ArgumentList.Add("-getItem:RuntimeHostConfigurationOption");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project} failed: {stdout}{stderr.Result}");
        var evaluated = JsonNode.Parse(stdout)!;
        return (evaluated["Properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            (evaluated["Items"]!["RuntimeHostConfigurationOption"] as JsonArray ?? [])
                .GroupBy(item => item!["Identity"]!.GetValue<string>()) // the last of an option's items is the one written
                .ToDictionary(items => items.Key, items => items.Last()!["Value"]?.GetValue<string>() ?? ""));
    }
}
