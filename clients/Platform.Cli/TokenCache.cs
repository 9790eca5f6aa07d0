using System.Text.Json;

namespace Platform.Cli;

public sealed record CachedTokens(string Gateway, string Username, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Tokens per gateway and profile in <c>~/.config/platform-cli/tokens.json</c> (or <c>PLATFORM_CLI_HOME</c>), readable by the
/// user only. The default profile is keyed by the gateway alone (as before profiles existed); a named profile by
/// <c>gateway#profile</c>, so several signed-in identities for one gateway coexist.
/// </summary>
public sealed class TokenCache
{
    private readonly string path;

    public TokenCache()
    {
        var home = Environment.GetEnvironmentVariable("PLATFORM_CLI_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "platform-cli");
        path = Path.Combine(home, "tokens.json");
    }

    public const string DefaultProfile = "default";

    public CachedTokens? Get(string key) => Load().GetValueOrDefault(key);

    public void Save(CachedTokens tokens)
    {
        var all = Load();
        all[tokens.Gateway] = tokens;
        Write(all);
    }

    public void Remove(string key)
    {
        var all = Load();
        if (all.Remove(key)) Write(all);
    }

    public static string Key(Uri gateway, string profile = DefaultProfile) =>
        profile == DefaultProfile ? gateway.GetLeftPart(UriPartial.Authority) : $"{gateway.GetLeftPart(UriPartial.Authority)}#{profile}";

    private Dictionary<string, CachedTokens> Load()
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, CachedTokens>>(File.ReadAllText(path), JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return []; // a damaged cache only means signing in again
        }
    }

    private void Write(Dictionary<string, CachedTokens> all)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(all, JsonSerializerOptions.Web));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
