using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Platform.Cli;

var gatewayOption = new Option<string>("--gateway")
{
    Description = "The platform's gateway (default: PLATFORM_GATEWAY or http://localhost:8080).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLATFORM_GATEWAY") ?? "http://localhost:8080",
    Recursive = true,
};
var jsonOption = new Option<bool>("--json") { Description = "Print the platform's JSON answer instead of text.", Recursive = true };

var root = new RootCommand("platform-cli: sign in, submit achievement data and follow it to payment.");
root.Options.Add(gatewayOption);
root.Options.Add(jsonOption);

var usernameOption = new Option<string>("--username", "-u") { Description = "Your email address.", Required = true };
var passwordOption = new Option<string?>("--password", "-p") { Description = "Your password (default: PLATFORM_PASSWORD, else asked)." };
var login = new Command("login", "Sign in (password grant for client platform-cli); tokens are cached and refreshed.") { usernameOption, passwordOption };
login.SetAction((parse, ct) => Run(parse, async session =>
{
    var password = parse.GetValue(passwordOption) ?? Environment.GetEnvironmentVariable("PLATFORM_PASSWORD") ?? ReadPassword();
    var tokens = await session.LoginAsync(parse.GetValue(usernameOption)!, password, ct);
    Console.WriteLine($"Signed in to {session.Gateway} as {tokens.Username}.");
}));

var logout = new Command("logout", "Forget the cached tokens for this gateway.");
logout.SetAction((parse, ct) => Run(parse, session =>
{
    session.Logout();
    Console.WriteLine($"Signed out of {session.Gateway}.");
    return Task.CompletedTask;
}));

var whoami = new Command("whoami", "Who you are signed in as, and when your password expires.");
whoami.SetAction((parse, ct) => Run(parse, async session =>
{
    var me = await session.SendAsync(HttpMethod.Get, "/api/identity/me", cancellationToken: ct);
    if (Print(parse, me)) return;
    Console.WriteLine($"{Str(me, "displayName")} <{Str(me, "email")}>, {Str(me, "role")}"
        + (Str(me, "practiceOds") is { } ods ? $", practice {ods}" : "") + (Str(me, "icb") is { } icb ? $", ICB {icb}" : ""));
    if (me.TryGetProperty("passwordDaysLeft", out var days) && days.ValueKind == JsonValueKind.Number)
    {
        Console.WriteLine($"Password expires in {days.GetInt32()} days ({Str(me, "passwordExpiresAt")})."
            + (me.TryGetProperty("passwordExpiresSoon", out var soon) && soon.GetBoolean() ? " Change it soon." : ""));
    }
}));

var fileArgument = new Argument<FileInfo>("file") { Description = "The submission: .json (the API body) or .csv (practiceOds,serviceCode,period,indicator,value)." };
var keyOption = new Option<string?>("--idempotency-key") { Description = "Resending with the same key never submits twice (default: from the file's content)." };
var submit = new Command("submit", "Submit achievement data; prints the receipt.") { fileArgument, keyOption };
submit.SetAction((parse, ct) => Run(parse, async session =>
{
    var file = parse.GetValue(fileArgument)!;
    var body = SubmissionFiles.ToJson(file.FullName);
    var key = parse.GetValue(keyOption) ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..32];
    var receipt = await session.SendAsync(HttpMethod.Post, "/api/submissions", new StringContent(body, Encoding.UTF8, "application/json"), ct,
        new Dictionary<string, string> { ["Idempotency-Key"] = key });
    if (Print(parse, receipt)) return;
    Console.WriteLine($"Submission {Str(receipt, "id")} received: {Str(receipt, "status")}"
        + (receipt.TryGetProperty("version", out var version) ? $", version {version}" : "") + ".");
    Console.WriteLine($"Follow it: platform-cli status {Str(receipt, "id")} --follow");
}));

var idArgument = new Argument<Guid>("id") { Description = "The submission id." };
var followOption = new Option<bool>("--follow", "-f") { Description = "Keep printing status changes (server-sent events) until a final status." };
var status = new Command("status", "A submission's status and timeline.") { idArgument, followOption };
status.SetAction((parse, ct) => Run(parse, async session =>
{
    var id = parse.GetValue(idArgument);
    var submission = await session.SendAsync(HttpMethod.Get, $"/api/submissions/{id}", cancellationToken: ct);
    if (!parse.GetValue(followOption))
    {
        if (Print(parse, submission)) return;
        Console.WriteLine($"{id}: {Str(submission, "status")}");
        if (submission.TryGetProperty("timeline", out var timeline))
        {
            foreach (var entry in timeline.EnumerateArray()) Console.WriteLine($"  {Str(entry, "at")}  {Str(entry, "status"),-18} {Str(entry, "detail")}");
        }
        return;
    }
    var final = await Follow(session, id, parse.GetValue(jsonOption), ct);
    if (final is "rejected" or "declined" or "payment-failed" or "cancelled")
    {
        throw new CliException($"Submission {id} ended {final}.", final, ExitCodes.SubmissionFailed);
    }
}));

var notifications = new Command("notifications", "Your in-app notifications.");
notifications.SetAction((parse, ct) => Run(parse, async session =>
{
    var list = await session.SendAsync(HttpMethod.Get, "/api/notifications", cancellationToken: ct);
    if (Print(parse, list)) return;
    var items = list.ValueKind == JsonValueKind.Array ? list : list.TryGetProperty("items", out var inner) ? inner : default;
    if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
    {
        Console.WriteLine("No notifications.");
        return;
    }
    foreach (var item in items.EnumerateArray())
    {
        Console.WriteLine($"{Str(item, "createdAt") ?? Str(item, "at")}  {(item.TryGetProperty("readAt", out var read) && read.ValueKind != JsonValueKind.Null ? " " : "*")} {Str(item, "title") ?? Str(item, "subject")}");
    }
}));

var reasonOption = new Option<string?>("--reason") { Description = "Why (required to decline)." };
var paymentArgument = new Argument<Guid>("payment-id") { Description = "The payment awaiting approval (see the submission's status)." };
var approve = new Command("approve", "Approve a payment awaiting approval (commissioners).") { paymentArgument, reasonOption };
approve.SetAction((parse, ct) => Run(parse, session => Decide(parse, session, "approve", ct)));
var decline = new Command("decline", "Decline a payment awaiting approval, with a reason the practice sees (commissioners).") { paymentArgument, reasonOption };
decline.SetAction((parse, ct) => Run(parse, session => Decide(parse, session, "decline", ct)));

foreach (var command in new[] { login, logout, whoami, submit, status, notifications, approve, decline }) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();

async Task Decide(ParseResult parse, GatewaySession session, string decision, CancellationToken ct)
{
    var id = parse.GetValue(paymentArgument);
    var reason = parse.GetValue(reasonOption);
    if (decision == "decline" && string.IsNullOrWhiteSpace(reason))
    {
        throw new CliException("Give a reason to decline: --reason \"...\"", "reason_required", ExitCodes.Usage);
    }
    var body = JsonSerializer.Serialize(new { decision, reason }, JsonSerializerOptions.Web);
    var result = await session.SendAsync(HttpMethod.Post, $"/api/payments/{id}/decision", new StringContent(body, Encoding.UTF8, "application/json"), ct);
    if (Print(parse, result)) return;
    Console.WriteLine($"Payment {id}: {(result.ValueKind == JsonValueKind.Object ? Str(result, "status") : decision + "d")}.");
}

async Task<string?> Follow(GatewaySession session, Guid id, bool json, CancellationToken ct)
{
    string? last = null;
    using var response = await session.SendRawAsync(HttpMethod.Get, $"/api/submissions/{id}/events", null, HttpCompletionOption.ResponseHeadersRead, ct,
        new Dictionary<string, string> { ["Accept"] = "text/event-stream" });
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
    var data = new StringBuilder();
    while (await reader.ReadLineAsync(ct) is { } line)
    {
        if (line.StartsWith("data:", StringComparison.Ordinal))
        {
            data.Append(line.AsSpan(5).TrimStart());
            continue;
        }
        if (line.Length != 0 || data.Length == 0) continue;
        var change = JsonDocument.Parse(data.ToString()).RootElement;
        data.Clear();
        last = Str(change, "status");
        Console.WriteLine(json ? change.GetRawText() : $"{Str(change, "at")}  {last,-18} {Str(change, "detail")}");
    }
    return last;
}

static Task<int> Run(ParseResult parse, Func<GatewaySession, Task> action) => RunCore(parse, action);

static async Task<int> RunCore(ParseResult parse, Func<GatewaySession, Task> action)
{
    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("platform-cli", typeof(GatewaySession).Assembly.GetName().Version?.ToString(3)));
    var gatewayText = parse.GetValue<string>("--gateway");
    if (!Uri.TryCreate(gatewayText, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
    {
        Console.Error.WriteLine($"error [usage]: --gateway '{gatewayText}' is not an http(s) URL.");
        return ExitCodes.Usage;
    }
    var session = new GatewaySession(gateway, new TokenCache(), http);
    try
    {
        await action(session);
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

static bool Print(ParseResult parse, JsonElement element)
{
    if (!parse.GetValue<bool>("--json")) return false;
    Console.WriteLine(element.ValueKind == JsonValueKind.Undefined ? "{}" : JsonSerializer.Serialize(element, new JsonSerializerOptions { WriteIndented = true }));
    return true;
}

static string? Str(JsonElement element, string name) =>
    element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
        : null;

static string ReadPassword()
{
    if (Console.IsInputRedirected) return Console.In.ReadLine() ?? string.Empty;
    Console.Write("Password: ");
    var password = new StringBuilder();
    while (true)
    {
        var key = Console.ReadKey(intercept: true);
        if (key.Key == ConsoleKey.Enter) break;
        if (key.Key == ConsoleKey.Backspace && password.Length > 0) password.Length--;
        else if (!char.IsControl(key.KeyChar)) password.Append(key.KeyChar);
    }
    Console.WriteLine();
    return password.ToString();
}
