using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Api;

/// <summary>
/// The API refused the session's access token (401): the person was disabled, their password changed elsewhere, or the
/// session is otherwise over. Rather than each page showing the refusal, the request ends here: the session cookie is
/// cleared and the person lands on the home page, told to sign in again.
/// </summary>
public sealed class SignInAgainException() : Exception("The API refused the session's access token.");

/// <summary>Turns a 401 from the gateway into <see cref="SignInAgainException"/>.</summary>
public sealed class SessionEndedHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || request.Headers.Authorization is null) return response;
        response.Dispose();
        throw new SignInAgainException();
    }
}

public static class SessionEndedMiddleware
{
    /// <summary>Where a person whose session ended is sent.</summary>
    public const string SignInAgainPath = "/?session=ended";

    public static IApplicationBuilder UseSessionEndedRedirect(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (SignInAgainException) when (!context.Response.HasStarted)
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                context.Response.Redirect(SignInAgainPath);
            }
        });
}
