using Platform.Cli;

namespace Gateway.Tests;

/// <summary>The real <c>platform-cli</c> process against the real gateway on a loopback port (the stand-in behind it).</summary>
public sealed class CliTests(GatewayServers servers) : IAsyncDisposable
{
    private readonly CliRunner cli = new(servers);

    [Fact]
    public async Task Login_submit_and_follow_show_the_submission_reach_paid()
    {
        var login = await cli.RunAsync("login", "--username", "cli-user@example.test", "--password", "secret");
        Assert.True(login.ExitCode == ExitCodes.Ok, login.Output);
        Assert.Contains("Signed in", login.Output, StringComparison.Ordinal);

        var csv = Path.Combine(cli.Home, "submission.csv");
        await File.WriteAllTextAsync(csv, "practiceOds,serviceCode,period,indicator,value\nA81001,QOF,2026-Q2,AF001,12\n", TestContext.Current.CancellationToken);
        var submit = await cli.RunAsync("submit", csv);
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit.Output);
        Assert.Contains($"Submission {Downstream.CliSubmissionId} received: validated", submit.Output, StringComparison.Ordinal);

        var follow = await cli.RunAsync("status", Downstream.CliSubmissionId.ToString(), "--follow");
        Assert.True(follow.ExitCode == ExitCodes.Ok, follow.Output);
        var steps = CliStatusTests.StepsIn(follow.Output);
        Assert.Contains("validated", steps);
        Assert.Contains("paid", steps);
    }

    [Fact]
    public async Task Login_with_an_expired_password_says_how_to_fix_it_and_exits_with_its_own_code()
    {
        var login = await cli.RunAsync("login", "--username", "expired@example.test", "--password", "expired");

        Assert.Equal(ExitCodes.PasswordExpired, login.ExitCode);
        Assert.Contains("[password_expired]", login.Output, StringComparison.Ordinal);
        Assert.Contains("change-expired", login.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_before_login_say_to_sign_in_and_exit_not_signed_in()
    {
        var whoami = await cli.RunAsync("whoami");

        Assert.Equal(ExitCodes.NotSignedIn, whoami.ExitCode);
        Assert.Contains("platform-cli login", whoami.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_exit_code_with_its_meaning()
    {
        var help = await cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("Exit codes:", help.Output, StringComparison.Ordinal);
        var declared = typeof(ExitCodes).GetFields().Where(field => field.IsLiteral).Select(field => (int)field.GetRawConstantValue()!).ToList();
        Assert.Equal(declared.Order(), ExitCodes.All.Select(code => code.Code).Order());
        foreach (var (code, meaning) in ExitCodes.All) Assert.Contains($"  {code,-3} {meaning}", help.Output, StringComparison.Ordinal);
        Assert.Contains("--profile", help.Output, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => cli.DisposeAsync();
}
