using System.ComponentModel.DataAnnotations;

namespace Gateway;

/// <summary>The gateway's own settings (configuration section <c>Gateway</c>), validated at start-up.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body for routes that set no <c>MaxRequestBodySize</c> of their own (<c>Gateway:MaxRequestBodySize</c>).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    public CorsSettings Cors { get; set; } = new();

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    public RateLimitSettings RateLimits { get; set; } = new();

    /// <summary>How long one downstream readiness probe may take before that service is reported degraded.</summary>
    public TimeSpan DownstreamHealthTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Browser origins allowed to call the gateway (<c>Gateway:Cors:Origins</c>); none means no cross-origin calls.</summary>
public sealed class CorsSettings
{
    public string[] Origins { get; set; } = [];
}

/// <summary>
/// Proxies and load balancers in front of the gateway whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed
/// (<c>Gateway:ForwardedHeaders:KnownProxies</c> as IP addresses, <c>KnownNetworks</c> as CIDR). Nothing else is, loopback
/// included: the local run configures its own (the portal and clients on the same machine) explicitly.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public string[] KnownProxies { get; set; } = [];

    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>Fixed-window limits, shared by every gateway replica through Redis (<c>Gateway:RateLimits</c>).</summary>
public sealed class RateLimitSettings
{
    /// <summary>Sign-in (<c>POST /connect/token</c>, login form, change-expired): per client address and per username.</summary>
    public RateLimitRule SignIn { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Password reset requests, resets and invitation acceptances: per email (account).</summary>
    public RateLimitRule Reset { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>
    /// The same, per client address: generous, because a GP practice's staff often share one address (and the portal's
    /// users reach the gateway through it), so the per-account limit carries the weight.
    /// </summary>
    public RateLimitRule ResetPerAddress { get; set; } = new() { PermitLimit = 100, Window = TimeSpan.FromMinutes(15) };

    /// <summary>The API: per user (the token's subject).</summary>
    public RateLimitRule Api { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };
}

public sealed class RateLimitRule
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}
