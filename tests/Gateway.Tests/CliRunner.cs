using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Runs the real <c>platform-cli</c> process against the real gateway on a loopback port (the stand-in behind it), with its own
/// token cache folder. Standard input is always redirected (as in a script); <c>input</c> is written to it.
/// </summary>
public sealed class CliRunner(GatewayServers servers) : IAsyncDisposable
{
    // Every CLI test signs in from 127.0.0.1: a sign-in limit for tests of other things would only make these flaky.
    private readonly GatewayFactory gateway = new(servers, new Dictionary<string, string?> { ["Gateway:RateLimits:SignIn:PermitLimit"] = "1000" });
    private Uri? address;

    public string Home { get; } = Directory.CreateTempSubdirectory("platform-cli-").FullName;

    /// <summary>Environment variables for every run (PLATFORM_PROFILE and PLATFORM_PASSWORD are otherwise unset).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    public async Task<(int ExitCode, string Output)> RunWithInputAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platform-cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(Address().ToString());
        start.Environment["PLATFORM_CLI_HOME"] = Home;
        start.Environment.Remove("PLATFORM_PROFILE");
        start.Environment.Remove("PLATFORM_PASSWORD");
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    private Uri Address()
    {
        if (address is not null) return address;
        gateway.UseKestrel(0);
        gateway.StartServer();
        return address = new Uri(gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await gateway.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
