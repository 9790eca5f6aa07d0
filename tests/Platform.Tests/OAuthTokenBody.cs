using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Tests;

/// <summary>
/// The token endpoint's OAuth JSON (RFC 6749 5.1): OpenIddict's, so the generated client has no model for it. The access
/// token is required, as a password or client credentials grant always returns one; a refresh token only with <c>offline_access</c>.
/// </summary>
public sealed record OAuthTokenBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null)
{
    private static readonly JsonSerializerOptions Strict = new() { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };

    /// <summary>Reads a successful token answer; fails when it has no access token.</summary>
    public static OAuthTokenBody Parse(string json) =>
        JsonSerializer.Deserialize<OAuthTokenBody>(json, Strict) ?? throw new InvalidOperationException($"Not a token answer: {json}");
}
