using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Deployment.Tests;

/// <summary>
/// Runs <c>scripts/deploy/k8s.mjs</c> (render a kustomization, validate objects against the Kubernetes schemas)
/// with node. The npm packages it needs are installed once by <c>scripts/deploy/install.sh</c> when missing.
/// </summary>
public static class K8sTool
{
    private static readonly string Script = Repository.PathOf("scripts", "deploy", "k8s.mjs");
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Rendered = new();
    private static readonly Lazy<bool> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string OverlayPath(string overlay) => Repository.PathOf("deploy", "k8s", "overlays", overlay);

    /// <summary>The objects an overlay renders to (a fresh copy each call, so tests may mutate it).</summary>
    public static List<JsonObject> Render(string kustomizationDir)
    {
        var json = Rendered.GetOrAdd(kustomizationDir, dir => new Lazy<string>(() =>
        {
            var (exit, stdout, stderr) = Node(null, "render", dir);
            return exit == 0 ? stdout : throw new InvalidOperationException($"rendering {dir} failed ({exit}): {stderr}");
        })).Value;
        return JsonNode.Parse(json)!.AsArray().Select(node => node!.AsObject()).ToList();
    }

    /// <summary>Schema errors for the given objects (empty when all are valid).</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<JsonObject> objects)
    {
        var input = new JsonArray(objects.Select(o => (JsonNode)o.DeepClone()).ToArray()).ToJsonString();
        var (exit, stdout, stderr) = Node(input, "validate");
        Assert.True(exit is 0 or 1, $"validation could not run ({exit}): {stderr}");
        var errors = JsonNode.Parse(stdout)!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Equal(exit == 1, errors.Count > 0);
        return errors;
    }

    private static (int Exit, string Stdout, string Stderr) Node(string? stdin, params string[] args)
    {
        _ = Installed.Value;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', args)} took more than 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool Install()
    {
        if (Directory.Exists(Repository.PathOf("scripts", "deploy", "node_modules", "kubernetes-models")))
        {
            return true;
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [Repository.PathOf("scripts", "deploy", "install.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/deploy/install.sh failed ({process.ExitCode}): {stderr.Result}");
        }

        return true;
    }
}
