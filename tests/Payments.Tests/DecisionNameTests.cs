using System.Net;
using System.Net.Http.Json;
using Payments.Api.Apis;
using Platform.Contracts.Identity;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>A decision shows the commissioner's display name (the token's <c>name</c> claim) next to their user id.</summary>
public sealed class DecisionNameTests(SharedPayments shared) : IClassFixture<SharedPayments>
{
    private readonly PaymentsApiFactory factory = shared.Factory;
    private readonly string ods = NewOds();

    private async Task<Guid> AwaitingApproval()
    {
        await factory.Bus.Deliver(new PracticeRegistered(ods, "Test Surgery", "QWE", 9_720, PaymentsApiFactory.Today));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await factory.CountAsync($"SELECT count(*) FROM practices WHERE ods = '{ods}'") == 0)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The practice never arrived.");
            await Task.Delay(50, Cancel);
        }
        var accepted = Qof(ods);
        await factory.Bus.Deliver(accepted);
        return (await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval")).Id;
    }

    private async Task<PaymentView> Decide(string token, Guid paymentId, string decision, string? reason = null)
    {
        var response = await factory.ClientFor(token).PostAsJsonAsync($"/api/payments/{paymentId}/decision", new { decision, reason }, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Read<PaymentView>();
    }

    [Fact]
    public async Task An_approval_shows_the_commissioners_name_on_the_payment_and_its_history()
    {
        var paymentId = await AwaitingApproval();

        var approved = await Decide(TestTokens.Commissioner("QWE", "Dr Ada Lovelace"), paymentId, "approve");

        Assert.Equal("commissioner-QWE", approved.DecidedBy);
        Assert.Equal("Dr Ada Lovelace", approved.DecidedByName);
        var step = approved.History.Single(h => h.Status == "approved");
        Assert.Equal("Dr Ada Lovelace", step.ByName);
        var read = await factory.ClientFor(TestTokens.PracticeUser(ods)).Get<PaymentView>($"/api/payments/{paymentId}");
        Assert.Equal("Dr Ada Lovelace", read.DecidedByName);
    }

    [Fact]
    public async Task A_decline_shows_the_commissioners_name()
    {
        var paymentId = await AwaitingApproval();

        var declined = await Decide(TestTokens.Commissioner("QWE", "Grace Hopper"), paymentId, "decline", "Figures do not match.");

        Assert.Equal("Grace Hopper", declined.DecidedByName);
        Assert.Equal("Grace Hopper", declined.History.Last().ByName);
    }

    [Fact]
    public async Task A_token_without_a_name_leaves_the_name_null_and_system_steps_have_none()
    {
        var paymentId = await AwaitingApproval();

        var approved = await Decide(TestTokens.Commissioner("QWE"), paymentId, "approve");

        Assert.Null(approved.DecidedByName);
        Assert.All(approved.History, h => Assert.Null(h.ByName));
    }
}
