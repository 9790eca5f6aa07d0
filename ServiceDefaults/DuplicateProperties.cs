using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults;

/// <summary>
/// A body that names a field twice (a JSON property within one object, in any letter case, since the services bind
/// names ignoring case; or a form field) is refused with 400 <c>duplicate_property</c>, by the gateway and by every
/// service alike. Read as its last value, <c>{"username":"x","username":"victim"}</c> let the gateway's per-account
/// limit count one name while the service checked the password of the other.
/// </summary>
public static class DuplicateProperties
{
    public const string Code = "duplicate_property";
    public const string Title = "The request names a field more than once.";

    /// <summary>Larger JSON bodies are left to the endpoint (none accepts one; the gateway caps bodies far below this).</summary>
    private const long MaxScannedJson = 8 * 1024 * 1024;

    public static string Detail(string name) => $"The body names '{name}' more than once; send each field once.";

    /// <summary>A property name used twice in one object, at any depth.</summary>
    public static string? InJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().GroupBy(property => property.Name, StringComparer.OrdinalIgnoreCase)
                .FirstOrDefault(names => names.Count() > 1)?.Key
            ?? element.EnumerateObject().Select(property => InJson(property.Value)).FirstOrDefault(name => name is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(InJson).FirstOrDefault(name => name is not null),
        _ => null,
    };

    /// <summary>A form field given more than once (the form's keys ignore case: "a" and "A" are one key with two values).</summary>
    public static string? InForm(IFormCollection form) => form.FirstOrDefault(field => field.Value.Count > 1).Key;

    /// <summary>The services' guard: refuses such a body before any endpoint runs.</summary>
    public static IApplicationBuilder UseDuplicatePropertyGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (await FindAsync(context.Request, context.RequestAborted) is { } name)
            {
                await Problems.Create(StatusCodes.Status400BadRequest, Code, Title, Detail(name)).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    private static async Task<string?> FindAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            try
            {
                return InForm(await request.ReadFormAsync(cancellationToken));
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                return null; // unreadable: the control character guard or the endpoint answers it
            }
        }

        var mediaType = request.ContentType ?? "";
        var isJson = mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("+json", StringComparison.OrdinalIgnoreCase);
        if (!isJson || request.ContentLength is 0 or > MaxScannedJson) return null;
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return InJson(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null; // not JSON the endpoint can read either: it answers that itself
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
