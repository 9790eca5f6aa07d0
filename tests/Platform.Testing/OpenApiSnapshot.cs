using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Testing;

/// <summary>
/// A service's published OpenAPI document against its committed snapshot, <c>contracts/openapi/{service}.json</c>, which
/// is what client apps and the generated Platform.Client are written against. Each service's tests call
/// <see cref="Check"/> with the document the service serves; <c>UPDATE_CONTRACT_SNAPSHOTS=1</c>
/// (scripts/contracts/update-snapshots.sh) rewrites the snapshot instead.
/// </summary>
public static class OpenApiSnapshot
{
    public const string UpdateVariable = "UPDATE_CONTRACT_SNAPSHOTS";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string PathFor(string service) => Path.Combine(RepositoryRoot.Find(), "contracts", "openapi", $"{service}.json");

    /// <summary>
    /// Null when <paramref name="document"/> matches the snapshot; otherwise what is wrong and what to do. The lint and the
    /// client generator read the snapshots, so a passing check means they saw what the service serves.
    /// </summary>
    public static string? Check(string service, string document)
    {
        var current = JsonNode.Parse(document)!;
        var text = current.ToJsonString(Indented) + "\n";

        var path = PathFor(service);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        var relative = Path.GetRelativePath(RepositoryRoot.Find(), path);
        if (!File.Exists(path)) return $"{service} has no committed OpenAPI snapshot at {relative}: run scripts/contracts/update-snapshots.sh and commit it.";

        var committed = JsonNode.Parse(File.ReadAllText(path))!;
        if (JsonNode.DeepEquals(committed, current)) return null;

        var breaking = OpenApiCompatibility.BreakingChanges(committed, current);
        var bumped = OpenApiCompatibility.MajorVersion(current) > OpenApiCompatibility.MajorVersion(committed);
        if (breaking.Count > 0 && !bumped)
        {
            return $"{service}'s API breaks its clients (compared with {relative}):\n  {string.Join("\n  ", breaking)}\n"
                + "Keep the old shape and add the new one, or bump the API version (info.version) and publish the change as a new version.";
        }
        return $"{service}'s OpenAPI document changed {(breaking.Count > 0 ? "with a version bump" : "compatibly")}: "
            + "run scripts/contracts/update-snapshots.sh, then clients/generate.sh, and commit contracts/openapi and the client.";
    }
}
