using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults;

/// <summary>
/// Refuses a request whose path, query, form fields or JSON strings hold a control character (U+0000 to U+001F other
/// than tab, line feed and carriage return) with 400 problem details, code <c>invalid_characters</c>, before any
/// endpoint runs. No field of the platform means one, and PostgreSQL cannot store U+0000 at all: without this, a NUL in
/// a username, an email or a list filter reached the database and came back as a 500. In JSON such characters can only
/// arrive escaped (<c>\u0000</c>, <c>\b</c>, <c>\f</c>); raw ones make the JSON invalid, which the endpoint refuses itself.
/// </summary>
public static class ControlCharacterGuard
{
    public const string Code = "invalid_characters";

    /// <summary>Larger JSON bodies are left to the endpoint (none accepts one; the gateway caps bodies far below this).</summary>
    private const long MaxScannedJson = 8 * 1024 * 1024;

    public static IApplicationBuilder UseControlCharacterGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (await FindAsync(context.Request, context.RequestAborted) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static IResult ControlCharacterIn(string where) => Problems.Create(StatusCodes.Status400BadRequest, Code,
        "The request contains a control character.",
        $"{where} holds a control character (U+0000 to U+001F other than tab, line feed and carriage return); no field accepts one.");

    public static bool IsRefused(char c) => c < '\u0020' && c is not ('\t' or '\n' or '\r');

    private static bool HasRefused(string? text) => text is not null && text.Any(IsRefused);

    /// <summary>The answer refusing the request, or null when it may go on.</summary>
    private static async Task<IResult?> FindAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HasRefused(request.Path.Value)) return ControlCharacterIn("The path");
        foreach (var (key, values) in request.Query)
        {
            if (HasRefused(key) || values.Any(HasRefused)) return ControlCharacterIn("A query parameter");
        }

        if (request.HasFormContentType)
        {
            try
            {
                // Read once here; the endpoint reads the same parsed form again.
                var form = await request.ReadFormAsync(cancellationToken);
                return form.Any(field => HasRefused(field.Key) || field.Value.Any(HasRefused)) ? ControlCharacterIn("A form field") : null;
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // ASP.NET Core's form reader itself refuses a NUL ("The form value contains invalid characters."), a form over its
                // limits or a broken multipart body; left to the endpoint, that exception is a 500.
                return Problems.Create(StatusCodes.Status400BadRequest, exception.InnerException is InvalidOperationException ? Code : "malformed_request",
                    "The form cannot be read.", exception is InvalidDataException ? exception.Message : "The form body is malformed.");
            }
        }

        var mediaType = request.ContentType ?? "";
        var isJson = mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("+json", StringComparison.OrdinalIgnoreCase);
        if (!isJson || request.ContentLength is 0 or > MaxScannedJson) return null;

        request.EnableBuffering();
        try
        {
            return await HasEscapedControlAsync(request.Body, cancellationToken) ? ControlCharacterIn("A JSON string") : null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>Scans JSON text for <c>\uXXXX</c> escapes of a refused character, and <c>\b</c> or <c>\f</c>.</summary>
    private static async Task<bool> HasEscapedControlAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var state = 0; // 0: text, 1: after a backslash, 2 to 5: reading the hex digits of \u
            var value = 0;
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0 && (total += read) <= MaxScannedJson)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    switch (state)
                    {
                        case 0:
                            if (b == '\\') state = 1;
                            break;
                        case 1:
                            if (b is (byte)'b' or (byte)'f') return true;
                            state = b == 'u' ? 2 : 0;
                            value = 0;
                            break;
                        default:
                            var digit = HexDigit(b);
                            if (digit < 0)
                            {
                                state = 0; // not an escape after all: the JSON is invalid, the endpoint refuses it
                                break;
                            }

                            value = (value << 4) | digit;
                            if (++state == 6)
                            {
                                if (value < 0x20 && IsRefused((char)value)) return true;
                                state = 0;
                            }

                            break;
                    }
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
