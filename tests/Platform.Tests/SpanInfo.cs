namespace Platform.Tests;

/// <summary>One span as the trace store recorded it.</summary>
/// <param name="Service">The emitting resource (<c>service.name</c>: gateway, identity, submissions, payments, notifications).</param>
/// <param name="ParentSpanId">Null for a root span.</param>
/// <param name="Error">For a span with error status: its status message and the exceptions it recorded; "" when it gave none.</param>
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
    string? Error = null)
{
    /// <summary>OTLP status code 2; <see cref="Error"/> then says what the span recorded of it.</summary>
    public bool IsError => Error is not null;

    /// <summary>"service: name", and for an error span what went wrong, as a failed assertion should show it.</summary>
    public override string ToString() => IsError ? $"{Service}: {Name} (error: {Error})" : $"{Service}: {Name}";
}
