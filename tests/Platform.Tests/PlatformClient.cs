using System.Net;
using System.Net.Http.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Platform.Client.Submissions.Models;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>What a client app does through the gateway: sign in, submit, then watch the submission's status.</summary>
public sealed class PlatformClient(HttpClient gateway, string accessToken)
{
    /// <summary>The bearer token this client signed in with.</summary>
    public string AccessToken => accessToken;

    /// <summary>The password every demo account has in the local run (README "Demo logins").</summary>
    public const string DemoPassword = "Demo-Password-2026!";

    /// <summary>Signs in with the password grant of the first-party client <c>platform-cli</c>.</summary>
    /// <param name="from">The caller's address for the gateway's per-address sign-in limit (loopback when null).</param>
    public static async Task<PlatformClient> SignInAsync(HttpClient gateway, string username, CancellationToken cancellationToken,
        string password = DemoPassword, string? from = null)
    {
        using var request = PasswordGrant.Request(username, password);
        if (from is not null) request.Headers.Add("X-Forwarded-For", from);
        using var response = await gateway.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Signing in as {username} answered {(int)response.StatusCode}: {body}");
        return new PlatformClient(gateway, OAuthTokenBody.Parse(body).AccessToken);
    }

    /// <summary>
    /// A submission of one indicator: item counts (FLU / FLU_65_PLUS, CHILD_IMMS / PCV) are paid without approval while small,
    /// QOF points (QOF / AF008) wait for the ICB's commissioner. Take the period from <see cref="PlatformAppFixture.ReservePeriodAsync"/>.
    /// </summary>
    public static object ItemSubmission(string practiceOds, string serviceCode, string period, string indicator, decimal value) => new
    {
        practiceOds,
        serviceCode,
        period,
        values = new[] { new { indicator, value } },
    };

    public async Task<(HttpResponseMessage Response, SubmissionReceipt Receipt)> SubmitAsync(object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Authorization = new("Bearer", accessToken);
        var response = await gateway.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Submitting answered {(int)response.StatusCode}: {answer}");
        return (response, await ClientModels.ReadAsync(answer, SubmissionReceipt.CreateFromDiscriminatorValue, cancellationToken));
    }

    /// <summary>A successful GET's body as the generated client's <paramref name="model"/> (e.g. <c>Profile.CreateFromDiscriminatorValue</c>).</summary>
    public async Task<T> GetAsync<T>(string path, ParsableFactory<T> model, CancellationToken cancellationToken)
        where T : class, IParsable
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await gateway.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return await ClientModels.ReadAsync(body, model, cancellationToken);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, object body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", accessToken);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await gateway.SendAsync(request, cancellationToken);
    }

    /// <summary>Polls the submission until its status is <paramref name="status"/>, failing with the last timeline seen.</summary>
    public async Task<SubmissionView> WaitForStatusAsync(string statusUrl, string status, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var submission = await GetAsync(statusUrl, SubmissionView.CreateFromDiscriminatorValue, cancellationToken);
            if (submission.Status == status) return submission;
            if (DateTime.UtcNow > deadline)
            {
                var timeline = string.Join("; ", (submission.Timeline ?? []).Select(entry => $"{entry.At:O} {entry.Status} {entry.Detail}"));
                throw new TimeoutException($"{statusUrl} is still {submission.Status} after {timeout.TotalSeconds:0} s: {timeline}");
            }
            await Task.Delay(250, cancellationToken);
        }
    }
}
