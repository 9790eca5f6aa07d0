using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Tests;

/// <summary>
/// The README's first thing to try, on the real platform: <c>platform-cli login</c>, <c>whoami</c>, <c>submit</c> a CSV and
/// <c>status --follow</c> until it is paid, through the gateway with a real password grant and refresh token.
/// </summary>
public sealed partial class CliTests(PlatformAppFixture platform) : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("platform-cli-").FullName;

    [Fact(Timeout = 300_000)]
    public async Task Login_submit_and_follow_show_a_submission_reach_paid()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var login = await RunAsync(["login", "--username", "user@b82002.demo", "--password", PlatformClient.DemoPassword], cancellationToken);
        Assert.True(login.ExitCode == 0, login.Output);

        var whoami = await RunAsync(["whoami"], cancellationToken);
        Assert.True(whoami.ExitCode == 0, whoami.Output);
        Assert.Contains("practice B82002", whoami.Output, StringComparison.Ordinal);
        Assert.Matches(@"Password expires in \d+ days", whoami.Output);

        var period = await platform.ReservePeriodAsync("B82002", "FLU", cancellationToken);
        var csv = Path.Combine(home, "flu.csv");
        await File.WriteAllTextAsync(csv, $"practiceOds,serviceCode,period,indicator,value\nB82002,FLU,{period},FLU_65_PLUS,64\nB82002,FLU,{period},FLU_CARER,3\n",
            cancellationToken);
        var submit = await RunAsync(["submit", csv], cancellationToken);
        Assert.True(submit.ExitCode == 0, submit.Output);
        var id = SubmissionId().Match(submit.Output).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(id), submit.Output);

        var follow = await RunAsync(["status", id, "--follow"], cancellationToken);
        Assert.True(follow.ExitCode == 0, follow.Output);
        // Every step status shows, paid among them; a step Payments recorded late (calculated) may print after paid.
        Assert.Equal(["calculated", "paid", "received", "validated"], Statuses(follow.Output).Order());

        var status = await RunAsync(["status", id], cancellationToken);
        Assert.Contains("remittance", status.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task An_expired_access_token_is_refreshed_with_the_cached_refresh_token()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var login = await RunAsync(["login", "--username", "user@a81001.demo", "--password", PlatformClient.DemoPassword], cancellationToken);
        Assert.True(login.ExitCode == 0, login.Output);

        // As if the access token's 15 minutes were up.
        var cache = Path.Combine(home, "tokens.json");
        var tokens = JsonNode.Parse(await File.ReadAllTextAsync(cache, cancellationToken))!.AsObject();
        var entry = tokens.Single().Value!;
        var expired = entry["accessToken"]!.GetValue<string>();
        entry["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        await File.WriteAllTextAsync(cache, tokens.ToJsonString(), cancellationToken);

        var whoami = await RunAsync(["whoami"], cancellationToken);

        Assert.True(whoami.ExitCode == 0, whoami.Output);
        Assert.Contains("user@a81001.demo", whoami.Output, StringComparison.Ordinal);
        var refreshed = JsonNode.Parse(await File.ReadAllTextAsync(cache, cancellationToken))!.AsObject().Single().Value!;
        Assert.NotEqual(expired, refreshed["accessToken"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_refused_submission_prints_the_problem_code_and_exits_rejected()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.Equal(0, (await RunAsync(["login", "--username", "user@a81001.demo", "--password", PlatformClient.DemoPassword], cancellationToken)).ExitCode);
        var json = Path.Combine(home, "bad.json");
        await File.WriteAllTextAsync(json, """{"practiceOds":"A81001","serviceCode":"DENTAL","period":"2026-10","values":[{"indicator":"X","value":1}]}""",
            cancellationToken);

        var submit = await RunAsync(["submit", json], cancellationToken);

        Assert.Equal(Platform.Cli.ExitCodes.Rejected, submit.ExitCode);
        Assert.Contains("[validation_failed]", submit.Output, StringComparison.Ordinal);
        Assert.Contains("unknown_service", submit.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Statuses(string followOutput) =>
        followOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)).Where(cells => cells.Length > 1).Select(cells => cells[1].Trim());

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platform-cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(platform.Gateway.BaseAddress!.ToString());
        start.Environment["PLATFORM_CLI_HOME"] = home;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    [GeneratedRegex(@"Submission ([0-9a-f-]{36}) received")]
    private static partial Regex SubmissionId();
}
