using System.Text.Json;

namespace Gateway.Extensions;

/// <summary>
/// For routes with <c>UsernameField</c> metadata (sign-in, reset), reads the account name from the form or JSON body
/// so it can be rate limited, then rewinds the body for the proxy.
/// </summary>
public static class RequestUsername
{
    private const string ItemKey = "Gateway.Username";
    private const long MaxInspectedBody = 64 * 1024;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(ItemKey, out var value) ? value as string : null;

    public static IApplicationBuilder UseRequestUsername(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var field = GatewayRoutes.UsernameField(context);
            if (field is not null && HttpMethods.IsPost(context.Request.Method) && context.Request.ContentLength is > 0 and <= MaxInspectedBody)
            {
                context.Request.EnableBuffering();
                try
                {
                    var username = context.Request.HasFormContentType
                        ? (await context.Request.ReadFormAsync(context.RequestAborted))[field].ToString()
                        : await ReadJsonFieldAsync(context.Request.Body, field, context.RequestAborted);
                    if (!string.IsNullOrWhiteSpace(username)) context.Items[ItemKey] = username;
                }
                catch (Exception exception) when (exception is JsonException or InvalidDataException or IOException or InvalidOperationException)
                {
                    // Not readable here (malformed JSON, or invalid UTF-8 or a lone surrogate, which System.Text.Json reports as
                    // InvalidOperationException when a name or value is read): the service answers it; the address limit still applies.
                }
                finally
                {
                    context.Request.Body.Position = 0;
                }
            }
            await next(context);
        });

    private static async Task<string?> ReadJsonFieldAsync(Stream body, string field, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }
        return null;
    }
}
