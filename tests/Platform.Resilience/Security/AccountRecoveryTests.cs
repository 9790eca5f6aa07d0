using System.Net;
using System.Text.Json.Nodes;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Security;

/// <summary>
/// Reset and invitation links work once and not after they expire, and the anonymous recovery endpoints answer the same
/// whether or not an account exists. (How long they take for each is measured in the benchmark's login scenario; the
/// sign-in check's equal work is counted in Identity.Tests' SignInWorkTests.)
/// </summary>
public sealed class AccountRecoveryTests(ResiliencePlatform platform)
{
    /// <summary>Requests per group (interleaved).</summary>
    private const int Samples = 9;

    [Fact(Timeout = 300_000)]
    public async Task A_reset_link_sets_the_password_once_and_cannot_be_used_again()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();
        var token = await RequestResetAsync(user, cancellationToken);

        var newPassword = $"Recovered passphrase {Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(user.Email, token, newPassword, cancellationToken)).Status);
        var again = await ResetAsync(user.Email, token, $"Second attempt passphrase {Guid.NewGuid():N}", cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("invalid_token", again.Body.Code);

        // The first reset's password is the one that works.
        await ApiClient.ForUser(platform.Gateway, Addresses.Next(), user.Email, newPassword).AccessTokenAsync(cancellationToken);
    }

    [Fact(Timeout = 300_000)]
    public async Task An_expired_reset_link_is_refused_and_the_password_stays()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();
        var token = await RequestResetAsync(user, cancellationToken);

        // The hour a link lives passes (the test moves its expiry, standing in for the clock).
        await using (var command = platform.Database("identitydb").CreateCommand(
            "UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = @id AND purpose = 'password-reset' AND used_at IS NULL"))
        {
            command.Parameters.AddWithValue("id", user.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
        }

        var reset = await ResetAsync(user.Email, token, $"Too late passphrase {Guid.NewGuid():N}", cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, reset.Status);
        Assert.Equal("invalid_token", reset.Body.Code);
        await ApiClient.ForUser(platform.Gateway, Addresses.Next(), user.Email, user.Password).AccessTokenAsync(cancellationToken);
    }

    [Fact(Timeout = 300_000)]
    public async Task An_invitation_link_already_used_is_refused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();
        using var mailbox = platform.Mailbox();
        var token = await Tenants.InvitationTokenAsync(mailbox, user.Email, cancellationToken);

        var (status, body) = await ApiClient.Anonymous(platform.Gateway, Addresses.Next()).PostJsonAsync("/api/identity/invitations/accept",
            new { email = user.Email, token, newPassword = $"Hijacked passphrase {Guid.NewGuid():N}" }, cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_token", body.Code);
    }

    [Fact(Timeout = 300_000)]
    public async Task Recovery_endpoints_answer_the_same_whether_or_not_the_account_exists()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        // At most three reset links an hour go to one account: three accounts, three requests each, all of them real sends.
        var real = Enumerable.Range(0, 3).Select(_ => tenants.TakeWarnedUser().Email).ToList();
        string Existing(int i) => real[i % real.Count];
        static string Unknown(int i) => $"no.such.person.{i}.{Guid.NewGuid():N}@y90001.test";

        var findings = new List<string>();
        await CompareAsync("POST /api/identity/password/reset-requests", i => new { email = Existing(i) }, i => new { email = Unknown(i) },
            "/api/identity/password/reset-requests", findings, cancellationToken);
        await CompareAsync("POST /api/identity/password/resets", i => new { email = Existing(i), token = "made-up-token", newPassword = "Made up passphrase 2026" },
            i => new { email = Unknown(i), token = "made-up-token", newPassword = "Made up passphrase 2026" }, "/api/identity/password/resets", findings, cancellationToken);
        await CompareAsync("POST /api/identity/invitations/accept", i => new { email = Existing(i), token = "made-up-token", newPassword = "Made up passphrase 2026" },
            i => new { email = Unknown(i), token = "made-up-token", newPassword = "Made up passphrase 2026" }, "/api/identity/invitations/accept", findings, cancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, findings));
        RunLog.Write($"enumeration: {string.Join("; ", findings)}");
        Assert.DoesNotContain(findings, finding => finding.StartsWith("REVEALS", StringComparison.Ordinal));
    }

    /// <summary>Same status and body (trace id aside) for every request of both groups.</summary>
    private async Task CompareAsync(string name, Func<int, object> existing, Func<int, object> unknown, string path, List<string> findings,
        CancellationToken cancellationToken)
    {
        var answers = new List<string>();
        for (var i = 0; i < Samples; i++)
        {
            answers.Add(await AnswerAsync(path, existing(i), cancellationToken));
            answers.Add(await AnswerAsync(path, unknown(i), cancellationToken));
        }

        var distinct = answers.Distinct().ToList();
        findings.Add(distinct.Count != 1 ? $"REVEALS by its answer: {name}: {string.Join(" | ", distinct)}" : $"{name}: always {distinct[0]}");
    }

    private async Task<string> AnswerAsync(string path, object body, CancellationToken cancellationToken)
    {
        var (status, answer) = await ApiClient.Anonymous(platform.Gateway, Addresses.Next()).PostJsonAsync(path, body, cancellationToken);
        return $"{(int)status} {WithoutTraceId(answer)}";
    }

    /// <summary>The body as sent, every member compared (JSON on purpose), without the trace id, which differs in every answer.</summary>
    private static string WithoutTraceId(ApiBody body)
    {
        if (!body.Text.TrimStart().StartsWith('{')) return body.Text;
        var copy = JsonNode.Parse(body.Text)!.AsObject();
        copy.Remove("traceId");
        return copy.ToJsonString();
    }

    private async Task<string> RequestResetAsync(WarnedUser user, CancellationToken cancellationToken)
    {
        var (status, _) = await ApiClient.Anonymous(platform.Gateway, Addresses.Next())
            .PostJsonAsync("/api/identity/password/reset-requests", new { email = user.Email }, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        using var mailbox = platform.Mailbox();
        var message = await mailbox.WaitForAsync(m => m.To.Any(to => to.Contains(user.Email, StringComparison.OrdinalIgnoreCase))
            && m.Subject.StartsWith("Reset your", StringComparison.Ordinal), TimeSpan.FromMinutes(2), cancellationToken);
        return Tenants.LinkToken(await mailbox.GetPlainTextAsync(message.Id, cancellationToken));
    }

    private Task<(HttpStatusCode Status, ApiBody Body)> ResetAsync(string email, string token, string newPassword, CancellationToken cancellationToken) =>
        ApiClient.Anonymous(platform.Gateway, Addresses.Next())
            .PostJsonAsync("/api/identity/password/resets", new { email, token, newPassword }, cancellationToken);
}
