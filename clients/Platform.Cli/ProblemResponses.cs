using System.Net;
using System.Text.Json;

namespace Platform.Cli;

/// <summary>
/// Turns every error answer from the API (<c>/api/**</c>, RFC 9457 problem details) into a <see cref="CliException"/> with the
/// platform's code, its title and detail, field errors and trace id, and an exit code for the kind of failure; and an
/// unreachable gateway into <see cref="ExitCodes.Unavailable"/>. The generated client then only ever sees success.
/// </summary>
public sealed class ProblemResponses : DelegatingHandler
{
    public ProblemResponses() : base(new HttpClientHandler()) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable(request.RequestUri!, exception);
        }
        if (response.IsSuccessStatusCode || request.RequestUri?.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) != true) return response;
        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken);
        }
    }

    public static CliException Unreachable(Uri address, HttpRequestException exception) =>
        new($"The gateway at {address.GetLeftPart(UriPartial.Authority)} could not be reached: {exception.Message}", "unreachable", ExitCodes.Unavailable);

    public static async Task<CliException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken, string? text = null)
    {
        text ??= await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null, message = null;
        if (text.TrimStart().StartsWith('{'))
        {
            var problem = JsonDocument.Parse(text).RootElement;
            code = Text(problem, "code");
            var hasErrors = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0;
            // With field errors the detail only repeats them: print each once, one a line.
            message = string.Join(" ", new[] { Text(problem, "title"), hasErrors ? null : Text(problem, "detail") }.Where(part => !string.IsNullOrWhiteSpace(part)));
            if (hasErrors)
            {
                foreach (var error in errors.EnumerateArray()) message += $"\n  {Text(error, "field")}: {Text(error, "message")} ({Text(error, "code")})";
            }
            if (Text(problem, "traceId") is { } traceId) message += $"\n  trace id: {traceId}";
        }
        message = string.IsNullOrWhiteSpace(message) ? $"The gateway answered {(int)response.StatusCode} {response.ReasonPhrase}." : message;
        if (response.Headers.RetryAfter?.Delta is { } retry) message += $"\n  retry after {retry.TotalSeconds:0} s";
        var exitCode = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ExitCodes.NotSignedIn,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.TooManyRequests => ExitCodes.Unavailable,
            >= HttpStatusCode.InternalServerError => ExitCodes.Unavailable,
            _ => ExitCodes.Rejected,
        };
        return new CliException(message, code, exitCode);
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
