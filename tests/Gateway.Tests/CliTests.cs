using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Platform.Cli;

namespace Gateway.Tests;

/// <summary>The real <c>platform-cli</c> process against the real gateway on a loopback port (the stand-in behind it).</summary>
public sealed class CliTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers);
    private readonly string home = Directory.CreateTempSubdirectory("platform-cli-").FullName;
    private Uri address = null!;

    public ValueTask InitializeAsync()
    {
        gateway.UseKestrel(0);
        gateway.StartServer();
        address = new Uri(gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Login_submit_and_follow_show_the_submission_reach_paid()
    {
        var login = await RunAsync("login", "--username", "cli-user@example.test", "--password", "secret");
        Assert.True(login.ExitCode == ExitCodes.Ok, login.Output);
        Assert.Contains("Signed in", login.Output, StringComparison.Ordinal);

        var csv = Path.Combine(home, "submission.csv");
        await File.WriteAllTextAsync(csv, "practiceOds,serviceCode,period,indicator,value\nA81001,QOF,2026-Q2,AF001,12\n", TestContext.Current.CancellationToken);
        var submit = await RunAsync("submit", csv);
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit.Output);
        Assert.Contains(Downstream.CliSubmissionId.ToString(), submit.Output, StringComparison.Ordinal);

        var follow = await RunAsync("status", Downstream.CliSubmissionId.ToString(), "--follow");
        Assert.True(follow.ExitCode == ExitCodes.Ok, follow.Output);
        Assert.Contains("validated", follow.Output, StringComparison.Ordinal);
        Assert.Contains("paid", follow.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_an_expired_password_says_how_to_fix_it_and_exits_with_its_own_code()
    {
        var login = await RunAsync("login", "--username", "expired@example.test", "--password", "expired");

        Assert.Equal(ExitCodes.PasswordExpired, login.ExitCode);
        Assert.Contains("[password_expired]", login.Output, StringComparison.Ordinal);
        Assert.Contains("change-expired", login.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_before_login_say_to_sign_in_and_exit_not_signed_in()
    {
        var whoami = await RunAsync("whoami");

        Assert.Equal(ExitCodes.NotSignedIn, whoami.ExitCode);
        Assert.Contains("platform-cli login", whoami.Output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platform-cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(address.ToString());
        start.Environment["PLATFORM_CLI_HOME"] = home;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        await gateway.DisposeAsync();
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
