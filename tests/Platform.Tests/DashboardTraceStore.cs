using System.Net;
using System.Text.Json;

namespace Platform.Tests;

/// <summary>
/// Reads traces back from the Aspire dashboard that the services export to over OTLP: its telemetry
/// HTTP API (<c>GET /api/telemetry/traces/{traceId}</c>, OTLP JSON), authenticated with the
/// <c>X-API-Key</c> header when the dashboard has an API key (<c>AppHost:DashboardApiKey</c>).
/// </summary>
public sealed class DashboardTraceStore(HttpClient dashboard)
{
    /// <summary>The spans recorded so far for <paramref name="traceId"/> (32 hex digits); empty when none yet.</summary>
    public async Task<IReadOnlyList<SpanInfo>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        using var response = await dashboard.GetAsync($"api/telemetry/traces/{Uri.EscapeDataString(traceId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return ReadSpans(document.RootElement);
    }

    /// <summary>The most recent spans of one resource (all resources when null) that the store holds.</summary>
    public async Task<IReadOnlyList<SpanInfo>> GetSpansAsync(string? resource = null, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        var query = resource is null ? $"limit={limit}" : $"resource={Uri.EscapeDataString(resource)}&limit={limit}";
        using var response = await dashboard.GetAsync($"api/telemetry/spans?{query}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return ReadSpans(document.RootElement);
    }

    /// <summary>Everything the store holds of one signal (<c>spans</c> or <c>logs</c>) as OTLP JSON text, to scan it.</summary>
    public async Task<string> ExportAsync(string signal, CancellationToken cancellationToken = default)
    {
        using var response = await dashboard.GetAsync($"api/telemetry/{signal}?limit=1000000", cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Polls until the trace satisfies <paramref name="isComplete"/> (exporters batch, so spans arrive late).</summary>
    public async Task<IReadOnlyList<SpanInfo>> WaitForTraceAsync(
        string traceId, Func<IReadOnlyList<SpanInfo>, bool> isComplete, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IReadOnlyList<SpanInfo> spans = [];
        try
        {
            while (true)
            {
                spans = await GetTraceAsync(traceId, deadline.Token);
                if (isComplete(spans))
                {
                    return spans;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = spans.Count == 0 ? "no spans" : string.Join(", ", spans);
            var roots = string.Join(", ", TraceTree.Roots(spans));
            throw new TimeoutException($"Trace {traceId} was not complete after {timeout.TotalSeconds:0} s; the trace store had {seen} (roots: {roots}).");
        }
    }

    /// <summary>Flattens OTLP JSON (<c>resourceSpans[].scopeSpans[].spans[]</c>), wrapped or not in <c>data</c>.</summary>
    public static IReadOnlyList<SpanInfo> ReadSpans(JsonElement root)
    {
        var otlp = root.TryGetProperty("data", out var data) ? data : root;
        var spans = new List<SpanInfo>();
        if (!otlp.TryGetProperty("resourceSpans", out var resourceSpans))
        {
            return spans;
        }
        foreach (var resourceSpan in resourceSpans.EnumerateArray())
        {
            var resourceAttributes = resourceSpan.TryGetProperty("resource", out var resource) ? ReadAttributes(resource) : new();
            var service = resourceAttributes.GetValueOrDefault("service.name") ?? "";
            foreach (var scopeSpan in Array(resourceSpan, "scopeSpans"))
            {
                foreach (var span in Array(scopeSpan, "spans"))
                {
                    var parent = Text(span, "parentSpanId");
                    spans.Add(new SpanInfo(
                        Service: service,
                        Name: Text(span, "name") ?? "",
                        TraceId: Text(span, "traceId") ?? "",
                        SpanId: Text(span, "spanId") ?? "",
                        ParentSpanId: string.IsNullOrEmpty(parent) ? null : parent,
                        Kind: span.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.Number ? kind.GetInt32() : 0,
                        Start: UnixNanos(span, "startTimeUnixNano"),
                        End: UnixNanos(span, "endTimeUnixNano"),
                        Attributes: ReadAttributes(span),
                        Error: ReadError(span)));
                }
            }
        }
        return spans.OrderBy(span => span.Start).ToList();
    }

    private static string? ReadError(JsonElement span)
    {
        if (!span.TryGetProperty("status", out var status) || !status.TryGetProperty("code", out var code)
            || !(code.ValueKind == JsonValueKind.Number ? code.GetInt32() == 2 : code.GetString() is "2" or "STATUS_CODE_ERROR"))
        {
            return null;
        }
        var exceptions = Array(span, "events").Select(ReadAttributes)
            .Where(attributes => attributes.ContainsKey("exception.type"))
            .Select(attributes => $"{attributes["exception.type"]}: {attributes.GetValueOrDefault("exception.message")}");
        return string.Join("; ", new[] { Text(status, "message") }.Concat(exceptions).Where(text => !string.IsNullOrEmpty(text)));
    }

    private static Dictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(owner, "attributes"))
        {
            if (Text(attribute, "key") is { } key && attribute.TryGetProperty("value", out var value))
            {
                attributes[key] = AnyValue(value);
            }
        }
        return attributes;
    }

    private static string AnyValue(JsonElement value)
    {
        foreach (var property in value.EnumerateObject())
        {
            return property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString() ?? "",
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => property.Value.GetRawText(),
            };
        }
        return "";
    }

    private static IEnumerable<JsonElement> Array(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset UnixNanos(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value))
        {
            return default;
        }
        var nanos = value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!) : value.GetInt64();
        return DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
    }
}
