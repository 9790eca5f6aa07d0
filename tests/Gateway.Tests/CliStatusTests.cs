using Platform.Cli;

namespace Gateway.Tests;

/// <summary><c>platform-cli status [--follow]</c>: every step of the timeline, and who decided, by name.</summary>
public sealed class CliStatusTests(GatewayServers servers) : IAsyncDisposable
{
    private readonly CliRunner cli = new(servers);

    private static readonly string[] EveryStep = ["received", "validated", "calculated", "awaiting-approval", "approved", "paid"];

    /// <summary>The statuses of the timeline lines <c>status</c> prints (date, time, status, detail), in order.</summary>
    internal static List<string> StepsIn(string output) =>
        [.. output.Split('\n').Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)).Where(parts => parts.Length >= 2)
            .Select(parts => parts[1].Trim().Split(' ')[0]).Where(EveryStep.Contains)];

    [Fact]
    public async Task Follow_shows_every_step_status_shows_even_those_recorded_after_paid_each_once()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", "follower@example.test", "-p", "secret")).ExitCode);
        var status = await cli.RunAsync("status", CliStandIns.SubmissionId.ToString());
        Assert.Equal(EveryStep, StepsIn(status.Output));

        var follow = await cli.RunAsync("status", CliStandIns.SubmissionId.ToString(), "--follow");

        Assert.True(follow.ExitCode == ExitCodes.Ok, follow.Output);
        var steps = StepsIn(follow.Output);
        Assert.Equal(EveryStep.Order(), steps.Order());
        // The stream's steps as they came, then the late ones in time order.
        Assert.Equal([.. CliStandIns.Streamed, "calculated", "approved"], steps);
    }

    [Fact]
    public async Task Status_shows_who_approved_the_payment_by_name()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", "reader@example.test", "-p", "secret")).ExitCode);

        var status = await cli.RunAsync("status", CliStandIns.SubmissionId.ToString());

        Assert.True(status.ExitCode == ExitCodes.Ok, status.Output);
        Assert.Contains($"Approved by {CliStandIns.ApproverName}", status.Output, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => cli.DisposeAsync();
}
