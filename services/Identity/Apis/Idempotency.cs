using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>
/// The platform's <see cref="IdempotencyKey"/> contract for Identity's creating POSTs: the first request's status, location
/// and body are kept for 24 hours per caller and key, and a retry gets them back instead of creating a second resource.
/// <paramref name="redact"/> removes what must not be stored (a client secret is shown once: a replay returns the client without it).
/// </summary>
internal static class Idempotency
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder, Func<JsonElement, JsonElement>? redact = null) =>
        builder.RequireIdempotencyKey().AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = IdempotencyKey.Read(http.Request).Key!; // RequireIdempotencyKey has refused a missing or malformed one
            var caller = Caller.From(http.User).UserGuid?.ToString() ?? http.User.FindFirst("sub")?.Value;
            if (caller is null)
            {
                return await next(context);
            }

            var db = http.RequestServices.GetRequiredService<IdentityDbContext>();
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var fingerprint = Fingerprint(context);
            var existing = await db.IdempotencyRecords.AsNoTracking()
                .SingleOrDefaultAsync(record => record.Caller == caller && record.Key == key && record.CreatedAt > now - Retention, http.RequestAborted);
            if (existing is not null)
            {
                return Replay(existing, fingerprint);
            }

            var record = new IdempotencyRecord { Caller = caller, Key = key, Fingerprint = fingerprint, CreatedAt = now };
            try
            {
                await db.IdempotencyRecords.Where(old => old.Caller == caller && old.Key == key).ExecuteDeleteAsync(http.RequestAborted); // an expired one
                db.IdempotencyRecords.Add(record);
                await db.SaveChangesAsync(http.RequestAborted);
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return IdempotencyKey.InProgress();
            }

            var result = await next(context);
            var answer = result is INestedHttpResult typed ? typed.Result : result; // a handler's Results<...> wraps the one it chose
            if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success)
            {
                var value = answer is IValueHttpResult { Value: { } body } ? JsonSerializer.SerializeToElement(body, JsonSerializerOptions.Web) : (JsonElement?)null;
                record.StatusCode = success.StatusCode ?? StatusCodes.Status200OK;
                record.Location = answer.GetType().GetProperty("Location")?.GetValue(answer) as string;
                record.Body = value is { } json ? (redact is null ? json : redact(json)).GetRawText() : null;
                await db.SaveChangesAsync(CancellationToken.None);
            }
            else
            {
                db.IdempotencyRecords.Remove(record); // failures are not remembered: the caller may fix the request and retry
                await db.SaveChangesAsync(CancellationToken.None);
            }

            return result;
        });

    private static IResult Replay(IdempotencyRecord record, string fingerprint)
    {
        if (record.Fingerprint != fingerprint)
        {
            return IdempotencyKey.Reused();
        }

        if (record.StatusCode == 0)
        {
            return IdempotencyKey.InProgress();
        }

        return new ReplayedResult(record.StatusCode, record.Location, record.Body);
    }

    /// <summary>Method, path and the request bodies as bound (the body stream has been read by then).</summary>
    private static string Fingerprint(EndpointFilterInvocationContext context)
    {
        var bodies = context.Arguments.Where(argument => argument?.GetType().DeclaringType?.Namespace == typeof(Idempotency).Namespace);
        var text = $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}\n{JsonSerializer.Serialize(bodies, JsonSerializerOptions.Web)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private sealed class ReplayedResult(int status, string? location, string? body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (body is not null)
            {
                httpContext.Response.ContentType = "application/json; charset=utf-8";
                await httpContext.Response.WriteAsync(body);
            }
        }
    }
}
