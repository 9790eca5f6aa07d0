using Platform.Cli;

namespace Gateway.Tests;

/// <summary><c>--profile</c> / <c>PLATFORM_PROFILE</c>: several signed-in identities for one gateway.</summary>
public sealed class CliProfileTests(GatewayServers servers) : IAsyncDisposable
{
    private readonly CliRunner cli = new(servers);

    [Fact]
    public async Task Two_profiles_keep_two_signed_in_identities_side_by_side()
    {
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("--profile", "commissioner", "login", "-u", "commissioner@example.test", "-p", "secret")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("--profile", "manager", "login", "-u", "manager@example.test", "-p", "secret")).ExitCode);

        var commissioner = await cli.RunAsync("--profile", "commissioner", "whoami");
        var manager = await cli.RunAsync("whoami", "--profile", "manager");

        Assert.Contains("Signed in as commissioner@example.test", commissioner.Output, StringComparison.Ordinal);
        Assert.Contains("Signed in as manager@example.test", manager.Output, StringComparison.Ordinal);
        var unnamed = await cli.RunAsync("whoami");
        Assert.Equal(ExitCodes.NotSignedIn, unnamed.ExitCode);
    }

    [Fact]
    public async Task Logging_out_of_one_profile_leaves_the_other_signed_in_and_the_hint_names_the_profile()
    {
        await cli.RunAsync("--profile", "a", "login", "-u", "a@example.test", "-p", "secret");
        await cli.RunAsync("--profile", "b", "login", "-u", "b@example.test", "-p", "secret");

        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("--profile", "a", "logout")).ExitCode);

        var a = await cli.RunAsync("--profile", "a", "whoami");
        Assert.Equal(ExitCodes.NotSignedIn, a.ExitCode);
        Assert.Contains("platform-cli --profile a login", a.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("--profile", "b", "whoami")).ExitCode);
    }

    [Fact]
    public async Task PLATFORM_PROFILE_chooses_the_profile_when_the_option_is_not_given()
    {
        await cli.RunAsync("--profile", "commissioner", "login", "-u", "commissioner@example.test", "-p", "secret");

        cli.Environment["PLATFORM_PROFILE"] = "commissioner";
        var whoami = await cli.RunAsync("whoami");

        Assert.True(whoami.ExitCode == ExitCodes.Ok, whoami.Output);
        Assert.Contains("Signed in as commissioner@example.test", whoami.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_name_that_is_not_a_name_is_a_usage_error()
    {
        var bad = await cli.RunAsync("--profile", "../x", "whoami");

        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
    }

    public ValueTask DisposeAsync() => cli.DisposeAsync();
}
