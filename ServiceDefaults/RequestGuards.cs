using Microsoft.AspNetCore.Builder;

namespace Platform.ServiceDefaults;

public static class RequestGuards
{
    /// <summary>
    /// A service refuses (400) a request carrying control characters or a JSON member written twice before any handler
    /// reads it. Not for the gateway: the guards read the body, which the gateway must pass on untouched.
    /// </summary>
    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app) =>
        app.UseControlCharacterGuard().UseDuplicatePropertyGuard();
}
