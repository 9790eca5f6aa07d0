using Platform.Client;
using Platform.Client.Submissions;
using Platform.Client.Submissions.Models;

namespace Platform.Tests;

/// <summary>A client app built on the generated Platform.Client, not hand-written HTTP, submits and follows a submission.</summary>
public sealed class TypedClientTests(PlatformAppFixture platform)
{
    private sealed class SignedInToken(string token) : IAccessTokenSource
    {
        public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(token);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_typed_client_submits_and_follows_the_submission_to_paid()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = await platform.SignedInAsAsync("user@a81001.demo", cancellationToken);
        var submissions = new SubmissionsClient(PlatformRequestAdapter.Create(platform.Gateway.BaseAddress!, new SignedInToken(user.AccessToken)));

        var request = new SubmissionRequest
        {
            PracticeOds = "A81001",
            ServiceCode = "LDHC",
            Period = "2026-Q2",
            Values = [new SubmissionValueRequest { Indicator = "LD_HEALTH_CHECK", Value = 3 }],
        };
        SubmissionReceipt? receipt;
        try
        {
            receipt = await submissions.Api.Submissions.PostAsync(request,
                config => config.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()), cancellationToken);
        }
        catch (ProblemDetails problem)
        {
            Assert.Fail($"Submitting answered {problem.ResponseStatusCode} {problem.Title}: {problem.Detail} {string.Join(", ", problem.AdditionalData.Select(kv => $"{kv.Key}={kv.Value}"))}");
            throw;
        }
        Assert.Equal($"/api/submissions/{receipt!.Id}", receipt.StatusUrl);
        var id = receipt.Id!.Value;

        var deadline = DateTime.UtcNow.AddSeconds(90);
        SubmissionView? view;
        do
        {
            await Task.Delay(250, cancellationToken);
            view = await submissions.Api.Submissions[id].GetAsync(cancellationToken: cancellationToken);
        }
        while (view?.Status != "paid" && DateTime.UtcNow < deadline);

        Assert.Equal("paid", view?.Status);
        Assert.False(string.IsNullOrEmpty(view!.Payment?.RemittanceReference));
        // Money arrives as decimal, exactly as the platform calculated it.
        Assert.Equal(view.Payment!.Lines!.Sum(line => line.Amount!.Value), view.Payment.Amount!.Value);
    }
}
