using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// A small real Kestrel app on a loopback port standing in for the services behind the gateway: it answers readiness,
/// the identity endpoints the gateway opens to everyone, and echoes API calls with the headers it received.
/// </summary>
public sealed class Downstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private Downstream(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The submission the stand-in accepts from the CLI test and streams to <c>paid</c>.</summary>
    public static Guid CliSubmissionId => CliStandIns.SubmissionId;

    /// <summary>How many requests reached each path.</summary>
    public ConcurrentDictionary<string, int> Hits { get; } = new();

    public volatile bool Ready = true;

    public static async Task<Downstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Downstream? self = null;
        app.Use((context, next) =>
        {
            self!.Hits.AddOrUpdate(context.Request.Path.Value ?? "/", 1, (_, count) => count + 1);
            return next(context);
        });
        app.MapGet("/health/ready", () => self!.Ready ? Results.Ok(new { status = "Healthy" }) : Results.StatusCode(503));
        app.MapPost("/connect/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["password"] == "expired")
            {
                return Results.Json(new { error = "invalid_grant", code = "password_expired", error_description = "The password expired on 2026-11-01 00:00:00Z." },
                    statusCode: 400);
            }
            var subject = form["username"].ToString() is { Length: > 0 } username ? username : "refreshed-user";
            if (form["grant_type"] == "password") CliStandIns.SignIns[subject] = form["password"].ToString();
            return Results.Ok(new { access_token = TestTokens.PracticeUser("A81001", subject), token_type = "Bearer", expires_in = 3600, refresh_token = "refresh" });
        });
        CliStandIns.Map(app);
        app.MapPost("/api/identity/password/reset-requests", () => Results.Accepted());
        app.MapGet("/.well-known/openid-configuration", () => Results.Ok(new { issuer = TestTokens.Issuer }));
        app.MapGet("/openapi/v1.json", () => Results.Text("""{"openapi":"3.1.1","info":{"title":"Stub","version":"v1"},"paths":{}}""", "application/json"));
        app.MapGet("/api/payments/slow", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            return Results.Ok();
        });
        app.MapPost("/api/submissions/failing", () => Results.StatusCode(503));
        app.Map("/api/{**rest}", (HttpContext context) => Results.Ok(new DownstreamEcho(
            context.Request.Path.Value,
            context.Request.Method,
            context.Request.Headers["X-Forwarded-For"].ToString(),
            context.Request.Headers["X-Forwarded-Proto"].ToString(),
            context.Request.Headers.Authorization.ToString())));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new Downstream(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>What the stand-in answers an API call with: the request as it arrived, with the headers the gateway sets.</summary>
public sealed record DownstreamEcho(string? Path, string Method, string ForwardedFor, string ForwardedProto, string Authorization);
