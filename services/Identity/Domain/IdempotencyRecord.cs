namespace Identity.Api.Domain;

/// <summary>The answer to a creating POST sent with an <c>Idempotency-Key</c>, replayed when the same caller sends it again.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>The token's subject (user id or client id).</summary>
    public required string Caller { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of method, path and body: the same key with a different request is refused.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }

    public string? Location { get; set; }

    public string? Body { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
