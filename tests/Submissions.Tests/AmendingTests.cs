using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts.Payments;
using Platform.Testing;
using Submissions.Api.Apis;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

public sealed class AmendingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;
    private readonly string ods = NewOds();
    private HttpClient Client => field ??= factory.ClientFor(TestTokens.PracticeUser(ods));


    private static object Qof(string ods, decimal points) =>
        new { practiceOds = ods, serviceCode = "QOF", period = "2026-Q2", values = new[] { new { indicator = "AF008", value = points } } };

    [Fact]
    public async Task Submitting_again_creates_the_next_version_which_supersedes_the_earlier_one()
    {
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var second = await (await Client.Submit(Qof(ods, 25))).Receipt();

        Assert.Equal(2, second.Version);
        var view = await Client.Get<SubmissionView>($"/api/submissions/{second.Id}");
        Assert.Equal(1, view.Supersedes);
        Assert.Contains("supersedes version 1", view.Timeline[0].Detail);
        // Payments learns which version to cancel from the event.
        Assert.Equal(1, await factory.CountAsync(
            $"SELECT count(*) FROM outbox_messages WHERE body->>'submissionId' = '{second.Id}' AND (body->>'supersedes')::int = 1"));
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Twenty_amendments_at_once_are_all_received_as_versions_one_to_twenty()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(points => Client.Submit(Qof(ods, points))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        var versions = await Task.WhenAll(responses.Select(async response => (await response.Receipt()).Version));
        Assert.Equal(Enumerable.Range(1, 20), versions.Order());
    }

    [Fact]
    public async Task A_version_awaiting_approval_can_still_be_amended()
    {
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var id = first.Id;
        await factory.Bus.Publish(new PaymentAwaitingApproval(Guid.NewGuid(), id, 1, ods, "QWE", "QOF", "2026-Q2", 4649.40m, "GBP",
            "QOF always needs approval", SubmissionsApiFactory.Today.AddDays(2), 0), Cancel);
        await Client.WaitForStatus(id, "awaiting-approval");

        var response = await Client.Submit(Qof(ods, 21));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.Receipt()).Version);
    }

    [Fact]
    public async Task After_approval_an_amendment_is_refused_with_409_submission_locked()
    {
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var id = first.Id;
        await factory.Bus.Publish(new PaymentApproved(Guid.NewGuid(), id, 1, ods, "commissioner-QWE", SubmissionsApiFactory.Today,
            LocksAmendments: true), Cancel);
        await Client.WaitForStatus(id, "approved");

        var response = await Client.Submit(Qof(ods, 25));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        // Read as JSON: lockedVersion is an extension member of the problem, which ProblemBody does not carry.
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("submission_locked", problem.GetProperty("code").GetString());
        Assert.Equal(1, problem.GetProperty("lockedVersion").GetInt32());
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM submissions WHERE practice_ods = '{ods}'"));
    }

    [Fact]
    public async Task Whether_a_period_is_locked_is_what_payments_says_not_the_status()
    {
        // An approval from a Payments that did not say (LocksAmendments: null, before it was added): Payments still refuses
        // the amendment itself (PaymentRefused, submission_locked), so intake does not guess.
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var id = first.Id;
        await factory.Bus.Publish(new PaymentApproved(Guid.NewGuid(), id, 1, ods, "commissioner-QWE", SubmissionsApiFactory.Today), Cancel);
        await Client.WaitForStatus(id, "approved");

        var response = await Client.Submit(Qof(ods, 25));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.Receipt()).Version);
    }

    [Fact]
    public async Task After_a_settlement_that_locks_the_period_an_amendment_is_refused_with_409()
    {
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var id = first.Id;
        await factory.Bus.Publish(new PaymentSettled(Guid.NewGuid(), id, 1, ods, "QOF", "2026-Q2", 4649.40m, "GBP", [], $"{ods}-1",
            SubmissionsApiFactory.Today, LocksAmendments: true), Cancel);
        await Client.WaitForStatus(id, "paid");

        var response = await Client.Submit(Qof(ods, 25));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        // Read as JSON: lockedStatus is an extension member of the problem, which ProblemBody does not carry.
        Assert.Equal("paid", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("lockedStatus").GetString());
    }

    [Fact]
    public async Task A_superseded_version_ends_superseded_when_its_payment_is_cancelled()
    {
        var first = await (await Client.Submit(Qof(ods, 20))).Receipt();
        var id = first.Id;
        var paymentId = Guid.NewGuid();
        await factory.Bus.Publish(new PaymentCalculated(paymentId, id, 1, ods, "QOF", "2026-Q2", 4649.40m, "GBP",
            [new PaymentLine("AF008", 20, 232.47m, 4649.40m)], true, SubmissionsApiFactory.Today), Cancel);
        await Client.WaitForStatus(id, "calculated");
        await Client.Submit(Qof(ods, 25));

        await factory.Bus.Publish(new PaymentCancelled(paymentId, id, 1, ods, "Superseded by version 2.", SubmissionsApiFactory.Today), Cancel);

        var superseded = await Client.WaitForStatus(id, "superseded");
        Assert.Equal("cancelled", superseded.Payment?.Outcome);
        Assert.Equal(["received", "validated", "calculated", "superseded"], superseded.Statuses());
    }
}
