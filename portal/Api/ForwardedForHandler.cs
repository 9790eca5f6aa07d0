namespace Portal.Api;

/// <summary>
/// Says whose request the portal is making: the person's address goes to the gateway in <c>X-Forwarded-For</c>, so its
/// per-address limits count each person, not the portal. The gateway trusts the header only from its known proxies.
/// </summary>
public sealed class ForwardedForHandler(IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
