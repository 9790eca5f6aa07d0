namespace Platform.Tests;

/// <summary>One span as the trace store recorded it.</summary>
/// <param name="Service">The emitting resource (<c>service.name</c>: gateway, identity, submissions, payments, notifications).</param>
/// <param name="ParentSpanId">Null for a root span.</param>
public sealed record SpanInfo(
    string Service,
    string Name,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    int Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyDictionary<string, string> Attributes,
    bool IsError = false); // OTLP status code 2
