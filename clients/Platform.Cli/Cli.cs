using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Platform.Cli;

/// <summary>What every command shares: the <c>--gateway</c>, <c>--profile</c> and <c>--json</c> options, the session, and how failures are printed.</summary>
public static class Cli
{
    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = "The platform's gateway (default: PLATFORM_GATEWAY or http://localhost:8080).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLATFORM_GATEWAY") ?? "http://localhost:8080",
        Recursive = true,
    };

    public static readonly Option<string> Profile = new("--profile")
    {
        Description = "Which signed-in identity to use: each profile has its own cached session per gateway, so several "
            + "(say a practice manager and a commissioner) coexist (default: PLATFORM_PROFILE or 'default').",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLATFORM_PROFILE") is { Length: > 0 } profile ? profile : TokenCache.DefaultProfile,
        Recursive = true,
    };

    /// <summary>The clock the CLI reads (how long a payment has waited).</summary>
    public static readonly TimeProvider Clock = TimeProvider.System;

    public static readonly Option<bool> Json = new("--json") { Description = "Print the platform's JSON answer instead of text.", Recursive = true };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs a command's action with a session for the chosen gateway; the exit code says what failed.</summary>
    public static async Task<int> Run(ParseResult parse, Func<GatewaySession, Task> action)
    {
        var gatewayText = parse.GetValue(Gateway);
        if (!Uri.TryCreate(gatewayText, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"error [usage]: --gateway '{gatewayText}' is not an http(s) URL.");
            return ExitCodes.Usage;
        }
        var profile = parse.GetValue(Profile)!;
        if (profile.Length is 0 or > 64 || !profile.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Console.Error.WriteLine($"error [usage]: --profile '{profile}' is not a profile name (letters, digits, '-', '_' or '.', at most 64).");
            return ExitCodes.Usage;
        }
        using var http = new HttpClient(new ProblemResponses()) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("platform-cli", typeof(Cli).Assembly.GetName().Version?.ToString(3)));
        try
        {
            await action(new GatewaySession(gateway, profile, new TokenCache(), http));
            return ExitCodes.Ok;
        }
        catch (CliException exception)
        {
            Console.Error.WriteLine($"error{(exception.Code is null ? "" : $" [{exception.Code}]")}: {exception.Message}");
            return exception.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Failed;
        }
    }

    /// <summary>With <c>--json</c>, prints the answer as the platform sent it and returns true; otherwise the caller prints text.</summary>
    public static async Task<bool> PrintJson<T>(ParseResult parse, T? answer) where T : IParsable
    {
        if (!parse.GetValue(Json)) return false;
        var text = answer is null ? "{}" : await KiotaJsonSerializer.SerializeAsStringAsync(answer, serializeOnlyChangedValues: false);
        Console.WriteLine(JsonNode.Parse(text)?.ToJsonString(Indented));
        return true;
    }

    /// <summary>As <see cref="PrintJson{T}"/>, for an answer that is a JSON array.</summary>
    public static async Task<bool> PrintJsonList<T>(ParseResult parse, IEnumerable<T> answer) where T : IParsable
    {
        if (!parse.GetValue(Json)) return false;
        var text = await KiotaJsonSerializer.SerializeAsStringAsync(answer, serializeOnlyChangedValues: false);
        Console.WriteLine(JsonNode.Parse(text)?.ToJsonString(Indented));
        return true;
    }
}
