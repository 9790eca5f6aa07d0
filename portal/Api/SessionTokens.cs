using Microsoft.AspNetCore.Authentication;
using Platform.Client;

namespace Portal.Api;

/// <summary>The signed-in person's access token, from the session cookie (kept fresh by the token refresher).</summary>
public sealed class SessionTokens(IHttpContextAccessor http) : IAccessTokenSource
{
    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) =>
        http.HttpContext is { } context ? await context.GetTokenAsync("access_token") : null;
}
