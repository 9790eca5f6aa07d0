using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults;

/// <summary>
/// The platform's one <c>Idempotency-Key</c> contract for creating POSTs, after the IETF httpapi draft
/// "The Idempotency-Key HTTP Header Field": the key is required; missing is 400 <c>idempotency_key_required</c>,
/// malformed 400 <c>idempotency_key_invalid</c>; the same key with the same body answers the first response again; the
/// same key with a different body is 422 <c>idempotency_key_reused</c>; while the first request still runs, 409
/// <c>request_in_progress</c>. Each service keeps its own record of keys; this is where the header is checked.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;

    public const string Description =
        "Required: a key unique to this new resource, e.g. a UUID, of 1 to 100 visible ASCII characters (a quoted string, as the IETF "
        + "Idempotency-Key draft writes it, means the same key unquoted). Missing: 400 idempotency_key_required; malformed: 400 "
        + "idempotency_key_invalid. Sending the same key with the same body again answers the first response (with Idempotent-Replayed: true "
        + "where it is replayed from a record) instead of creating a second resource; the same key with a different body is 422 "
        + "idempotency_key_reused; while the first request is still being handled, 409 request_in_progress: retry shortly.";

    /// <summary>The request's key, or the 400 problem refusing it.</summary>
    public static (string? Key, ProblemHttpResult? Refusal) Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        var value = values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray()); // two keys are malformed below (a space)
        if (value.Trim().Length == 0)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "idempotency_key_required", "An Idempotency-Key header is required.",
                $"Send a new Idempotency-Key (e.g. a UUID, at most {MaxLength} characters) with each request that creates something, and the same one when you retry it."));
        }

        var key = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        if (key.Length is 0 or > MaxLength || !key.All(c => c is > ' ' and <= '~'))
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "idempotency_key_invalid", "The Idempotency-Key header is not valid.",
                $"Use 1 to {MaxLength} visible ASCII characters without spaces, e.g. a UUID."));
        }
        return (key, null);
    }

    public static ProblemHttpResult Reused() =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "This Idempotency-Key was used for a different request.",
            "Use a new Idempotency-Key for a new request; resend the same body to retry the first one.");

    public static ProblemHttpResult InProgress() =>
        Problems.Create(StatusCodes.Status409Conflict, "request_in_progress", "A request with this Idempotency-Key is still being handled; retry shortly.");

    /// <summary>Refuses a request without a well-formed key (400) before the endpoint runs, and documents the header.</summary>
    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint
            .AddEndpointFilter(async (context, next) => Read(context.HttpContext.Request).Refusal is { } refusal ? refusal : await next(context))
            .AddOpenApiOperationTransformer((operation, context, _) =>
            {
                operation.Parameters ??= [];
                var existing = operation.Parameters.FirstOrDefault(p => p.In == ParameterLocation.Header && string.Equals(p.Name, Header, StringComparison.OrdinalIgnoreCase));
                if (existing is not null) operation.Parameters.Remove(existing);
                operation.Parameters.Insert(0, new OpenApiParameter
                {
                    Name = Header,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = MaxLength },
                    Example = JsonValue.Create("8e03978e-40d5-43e8-bc93-6894a57f9324"),
                });
                OpenApiDefaults.AddProblem(operation, context.Document, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still being handled.", "request_in_progress");
                OpenApiDefaults.AddProblem(operation, context.Document, StatusCodes.Status422UnprocessableEntity, "This Idempotency-Key was used for a different request.", "idempotency_key_reused");
                return Task.CompletedTask;
            });
}
