using Platform.Cli;

namespace Gateway.Tests;

/// <summary><c>platform-cli password change</c>, as a script runs it (passwords on standard input).</summary>
public sealed class CliPasswordTests(GatewayServers servers) : IAsyncDisposable
{
    private readonly CliRunner cli = new(servers);
    private readonly string username = $"changer-{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task Changing_the_password_signs_in_again_with_the_new_one()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", username, "-p", "old-password")).ExitCode);

        var change = await cli.RunWithInputAsync("old-password\nthe-new-long-passphrase\n", "password", "change", "--current-password-stdin", "--new-password-stdin");

        Assert.True(change.ExitCode == ExitCodes.Ok, change.Output);
        Assert.Contains($"Password changed for {username}", change.Output, StringComparison.Ordinal);
        Assert.Contains("Signed in again", change.Output, StringComparison.Ordinal);
        Assert.Equal("the-new-long-passphrase", CliStandIns.SignIns[username]);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("whoami")).ExitCode);
    }

    [Fact]
    public async Task With_no_login_the_old_session_is_forgotten_and_the_person_is_told_to_sign_in_again()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", username, "-p", "old-password")).ExitCode);

        var change = await cli.RunWithInputAsync("old-password\nthe-new-long-passphrase\n", "password", "change", "--current-password-stdin",
            "--new-password-stdin", "--no-login");

        Assert.True(change.ExitCode == ExitCodes.Ok, change.Output);
        Assert.Contains($"platform-cli login --username {username}", change.Output, StringComparison.Ordinal);
        Assert.Equal("old-password", CliStandIns.SignIns[username]);
        Assert.Equal(ExitCodes.NotSignedIn, (await cli.RunAsync("whoami")).ExitCode);
    }

    [Fact]
    public async Task A_refused_new_password_prints_the_field_errors_and_exits_rejected_keeping_the_session()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("login", "-u", username, "-p", "old-password")).ExitCode);

        var change = await cli.RunWithInputAsync($"old-password\n{CliStandIns.TooShortPassword}\n", "password", "change", "--current-password-stdin", "--new-password-stdin");

        Assert.Equal(ExitCodes.Rejected, change.ExitCode);
        Assert.Contains("[validation_failed]", change.Output, StringComparison.Ordinal);
        Assert.Contains("  newPassword: The password needs at least 12 characters. (too_short)", change.Output, StringComparison.Ordinal);
        Assert.Equal(2, change.Output.Split("at least 12 characters").Length); // printed once, not again in the detail
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("whoami")).ExitCode);
    }

    [Fact]
    public async Task Changing_the_password_without_a_session_says_to_sign_in()
    {
        var change = await cli.RunWithInputAsync("a\nb\n", "password", "change", "--current-password-stdin", "--new-password-stdin");

        Assert.Equal(ExitCodes.NotSignedIn, change.ExitCode);
        Assert.Contains("platform-cli login", change.Output, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => cli.DisposeAsync();
}
