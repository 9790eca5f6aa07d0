using Platform.Cli;
using Platform.Client.Payments.Models;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary><c>platform-cli approvals</c>: what awaits the commissioner's decision.</summary>
public sealed class CliApprovalsTests(GatewayServers servers) : IAsyncDisposable
{
    private readonly CliRunner cli = new(servers);

    [Fact]
    public async Task Approvals_list_practice_service_period_amount_age_and_payment_id_longest_waiting_first()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", "commissioner@example.test", "-p", "secret")).ExitCode);

        var approvals = await cli.RunAsync("approvals");

        Assert.True(approvals.ExitCode == ExitCodes.Ok, approvals.Output);
        var lines = approvals.Output.Split('\n');
        var longWaiting = Assert.Single(lines, line => line.Contains(CliStandIns.LongWaitingPaymentId.ToString(), StringComparison.Ordinal));
        Assert.Matches(@"^A81001\s+QOF\s+2026-Q2\s+£12,345\.60\s+3d 2h\s", longWaiting);
        var recent = Assert.Single(lines, line => line.Contains(CliStandIns.RecentPaymentId.ToString(), StringComparison.Ordinal));
        Assert.Matches(@"^B82002\s+FLU\s+2026-11\s+£6,036\.00\s+5h 10m\s", recent);
        Assert.True(Array.IndexOf(lines, longWaiting) < Array.IndexOf(lines, recent), approvals.Output);
        Assert.Contains("2 awaiting your decision", approvals.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approvals_as_json_are_the_payments_as_the_platform_sent_them()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", "commissioner@example.test", "-p", "secret")).ExitCode);

        var approvals = await cli.RunAsync("approvals", "--json");

        Assert.True(approvals.ExitCode == ExitCodes.Ok, approvals.Output);
        var payments = await ClientModels.ReadListAsync(approvals.Output, PaymentView.CreateFromDiscriminatorValue, TestContext.Current.CancellationToken);
        Assert.Equal(2, payments.Count);
        Assert.All(payments, p => Assert.Equal("awaiting-approval", p.Status));
    }

    public ValueTask DisposeAsync() => cli.DisposeAsync();
}
