namespace Platform.Testing;

/// <summary>The OAuth password grant of the first-party client <c>platform-cli</c>, as the CLI sends it to <c>/connect/token</c>.</summary>
public static class PasswordGrant
{
    public const string Path = "/connect/token";
    public const string DefaultScope = "openid platform-api";

    /// <summary>The form's fields; a null <paramref name="scope"/> leaves the scope out.</summary>
    public static Dictionary<string, string> Fields(string username, string password, string? scope = DefaultScope)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "platform-cli",
            ["username"] = username,
            ["password"] = password,
        };
        if (scope is not null) fields["scope"] = scope;
        return fields;
    }

    public static FormUrlEncodedContent Content(string username, string password, string? scope = DefaultScope) =>
        new(Fields(username, password, scope));

    /// <summary>A POST of the grant to <paramref name="tokenEndpoint"/> (relative to the client's base address by default).</summary>
    public static HttpRequestMessage Request(string username, string password, string? scope = DefaultScope, Uri? tokenEndpoint = null) =>
        new(HttpMethod.Post, tokenEndpoint ?? new Uri(Path, UriKind.Relative)) { Content = Content(username, password, scope) };
}
