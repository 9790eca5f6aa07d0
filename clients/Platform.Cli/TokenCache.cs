using System.Text.Json;

namespace Platform.Cli;

public sealed record CachedTokens(string Gateway, string Username, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Tokens per gateway in <c>~/.config/platform-cli/tokens.json</c> (or <c>PLATFORM_CLI_HOME</c>), readable by the user only.
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

    public CachedTokens? Get(Uri gateway) => Load().GetValueOrDefault(Key(gateway));

    public void Save(CachedTokens tokens)
    {
        var all = Load();
        all[tokens.Gateway] = tokens;
        Write(all);
    }

    public void Remove(Uri gateway)
    {
        var all = Load();
        if (all.Remove(Key(gateway))) Write(all);
    }

    public static string Key(Uri gateway) => gateway.GetLeftPart(UriPartial.Authority);

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
