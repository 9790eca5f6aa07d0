using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Platform.Client.Identity.Models;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>
/// No password, token, secret, reset link or full email address reaches a log, a span or a metric: after signing in,
/// refreshing, creating a system client, submitting to paid, asking for a password reset and opening its link (the token
/// in the query string) and the expiry warning, every
/// resource's console log, every span and structured log in the trace store and every service's /metrics are scanned for them.
/// </summary>
[Collection(TelemetryScanCollection.Name)]
public sealed partial class SecretScanTests(PlatformAppFixture platform)
{
    private static readonly string[] DemoUsers =
        ["admin@platform.demo", "manager@a81001.demo", "user@a81001.demo", "user@b82002.demo", "commissioner@qwe.demo", "expiring@a81001.demo"];

    private static readonly string[] Services = ["gateway", "identity", "submissions", "payments", "notifications"];

    /// <summary>smtp4dev stands in for the mail relay outside the platform: its job is to show the mail, addresses and links included.</summary>
    private static readonly string[] OutsideThePlatform = ["smtp4dev"];

    [Fact(Timeout = 600_000)]
    public async Task No_secret_or_full_email_address_appears_in_any_log_span_or_metric()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal) { [PlatformClient.DemoPassword] = "the demo password" };
        foreach (var user in DemoUsers)
        {
            secrets[user] = $"the address {user}";
            secrets[Uri.EscapeDataString(user)] = $"the address {user} (URL-encoded)";
        }

        // The practice admin signs in with a refresh token and uses it, as a client app does.
        var signIn = await TokenAsync(PasswordGrant.Fields("manager@a81001.demo", PlatformClient.DemoPassword, "openid offline_access platform-api"), cancellationToken);
        AddToken(secrets, signIn.AccessToken, "an access token");
        AddToken(secrets, signIn.RefreshToken, "a refresh token");
        var refreshed = await TokenAsync(new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "platform-cli", ["refresh_token"] = signIn.RefreshToken!,
        }, cancellationToken);
        AddToken(secrets, refreshed.AccessToken, "a refreshed access token");
        AddToken(secrets, refreshed.RefreshToken, "a rotated refresh token");

        // A practice admin creates a system client; the client signs in with its secret.
        var manager = new PlatformClient(platform.Gateway, signIn.AccessToken);
        using var created = await manager.PostJsonAsync("/api/identity/practices/A81001/clients", new { displayName = "Scan uploader" }, cancellationToken,
            idempotencyKey: Guid.NewGuid().ToString());
        var answer = await created.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(created.IsSuccessStatusCode, $"Creating a system client answered {(int)created.StatusCode}: {answer}");
        var client = await ClientModels.ReadAsync(answer, ClientSecret.CreateFromDiscriminatorValue, cancellationToken);
        var clientSecret = client.ClientSecretValue!;
        secrets[clientSecret] = "a client secret";
        var clientToken = await TokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.ClientId!,
            ["client_secret"] = clientSecret, ["scope"] = "platform-api",
        }, cancellationToken);
        AddToken(secrets, clientToken.AccessToken, "a client's access token");

        // A submission to paid, with its emails.
        var period = await platform.ReservePeriodAsync("A81001", "CHILD_IMMS", cancellationToken);
        var (_, receipt) = await manager.SubmitAsync(PlatformClient.ItemSubmission("A81001", "CHILD_IMMS", period, "PCV", 5), cancellationToken);
        await manager.WaitForStatusAsync(receipt.StatusUrl!, "paid", TimeSpan.FromSeconds(90), cancellationToken);

        // A password reset request: the link (and its token) go by email only. It is not used, so the password stays the demo one.
        using var mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{platform.Ports.SmtpWeb}/"));
        var requestedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        using (var reset = await platform.Gateway.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@b82002.demo" }, cancellationToken))
        {
            Assert.True(reset.IsSuccessStatusCode, $"Asking for a reset answered {(int)reset.StatusCode}");
        }
        var resetEmail = await mailbox.WaitForAsync(m => m.To.Contains("user@b82002.demo") && m.ReceivedDate >= requestedAt
            && m.Subject.Contains("reset", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(90), cancellationToken);
        var link = Assert.Single(ResetLink().Matches(await mailbox.GetPlainTextAsync(resetEmail.Id, cancellationToken))).Value;
        secrets[link] = "the reset link";
        var token = new Uri(link).Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2))
            .Single(pair => pair[0] == "token")[1];
        secrets[token] = "the reset token";
        secrets[Uri.UnescapeDataString(token)] = "the reset token (decoded)";
        // The person opens the link: the token travels in the query string through the gateway and the portal.
        using (var opened = await platform.Gateway.GetAsync(new Uri(link).PathAndQuery, cancellationToken))
        {
            Assert.True(opened.IsSuccessStatusCode, $"Opening the reset link answered {(int)opened.StatusCode}");
        }

        // The expiry warning for the demo user whose password expires in 6 days.
        await mailbox.WaitForAsync(m => m.To.Contains("expiring@a81001.demo"), TimeSpan.FromMinutes(3), cancellationToken);

        // The tokens every other test signed in with.
        foreach (var user in new[] { "user@a81001.demo", "user@b82002.demo", "commissioner@qwe.demo", "expiring@a81001.demo" })
        {
            AddJwt(secrets, (await platform.SignedInAsAsync(user, cancellationToken)).AccessToken, $"{user}'s access token");
        }

        // Exporters send in batches: wait until the reset request's and the payment's logs are in the store.
        var traceId = receipt.TraceId!;
        await platform.Traces.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Name.StartsWith("email send", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken); // one more batch interval for the last log and span records

        var captured = new List<(string Where, string Text)>();
        foreach (var resource in platform.ResourceNames.Where(name => !OutsideThePlatform.Contains(name)))
        {
            captured.Add(($"console log of {resource}", string.Join('\n', platform.AllLogs(resource))));
        }
        captured.Add(("spans in the trace store", await platform.Traces.ExportAsync("spans", cancellationToken)));
        captured.Add(("structured logs in the trace store", await platform.Traces.ExportAsync("logs", cancellationToken)));
        foreach (var service in Services)
        {
            using var metrics = new HttpClient { BaseAddress = platform.App.GetEndpoint(service, "http") };
            var text = await metrics.GetStringAsync("/metrics", cancellationToken);
            Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
            captured.Add(($"/metrics of {service}", text));
        }
        Assert.Contains(captured, c => c.Where.StartsWith("console log of identity", StringComparison.Ordinal) && c.Text.Length > 0);
        Assert.Contains(captured, c => c.Where == "structured logs in the trace store" && c.Text.Contains(traceId, StringComparison.Ordinal));

        var found = (from c in captured
                     from secret in secrets
                     let at = c.Text.IndexOf(secret.Key, StringComparison.OrdinalIgnoreCase)
                     where at >= 0
                     select $"{secret.Value} in the {c.Where}: …{Around(c.Text, at, secret.Key.Length)}…").ToList();
        Assert.True(found.Count == 0, $"Found {found.Count} secrets:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }

    /// <summary>A token request; the gateway's sign-in limit is shared with every other test's sign-ins, so a 429 waits its Retry-After.</summary>
    private async Task<OAuthTokenBody> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var response = await platform.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        for (var attempt = 0; attempt < 3 && response.StatusCode == System.Net.HttpStatusCode.TooManyRequests; attempt++)
        {
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(60);
            response.Dispose();
            await Task.Delay(wait + TimeSpan.FromSeconds(1), cancellationToken);
            response = await platform.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        }
        using var answered = response;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"The {form["grant_type"]} grant answered {(int)response.StatusCode}: {body}");
        return OAuthTokenBody.Parse(body);
    }

    private static void AddToken(Dictionary<string, string> secrets, string? token, string what) =>
        AddJwt(secrets, token ?? throw new InvalidOperationException($"The token endpoint answered without {what}."), what);

    /// <summary>The token, and its last segment (the signature or cipher text) in case a log cut it short.</summary>
    private static void AddJwt(Dictionary<string, string> secrets, string token, string what)
    {
        secrets[token] = what;
        var last = token[(token.LastIndexOf('.') + 1)..];
        if (last.Length >= 20) secrets[last] = $"{what} (its last segment)";
    }

    private static string Around(string text, int at, int length)
    {
        var start = Math.Max(0, at - 80);
        return text[start..Math.Min(text.Length, at + length + 80)].ReplaceLineEndings(" ");
    }

    [GeneratedRegex(@"https?://\S*reset\S*token=[^\s""<>]+")]
    private static partial Regex ResetLink();
}
