using System.Text.Json;
using Gateway.Routing;
using Platform.ServiceDefaults;

namespace Gateway.Security;

/// <summary>
/// For routes with <c>UsernameField</c> metadata (sign-in, reset), reads the account name from the form or JSON body
/// so it can be rate limited, then rewinds the body for the proxy. A body that names a field twice is refused as the
/// services refuse it (<see cref="DuplicateProperties"/>): the limit would count one name while the service acted on the other.
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
                    var (username, duplicate) = context.Request.HasFormContentType
                        ? ReadFormField(await context.Request.ReadFormAsync(context.RequestAborted), field)
                        : await ReadJsonFieldAsync(context.Request.Body, field, context.RequestAborted);
                    if (duplicate is not null)
                    {
                        await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, DuplicateProperties.Code,
                            DuplicateProperties.Title, DuplicateProperties.Detail(duplicate));
                        return;
                    }
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

    private static (string? Username, string? Duplicate) ReadFormField(IFormCollection form, string field) =>
        (form[field].ToString(), DuplicateProperties.InForm(form));

    private static async Task<(string? Username, string? Duplicate)> ReadJsonFieldAsync(Stream body, string field, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (DuplicateProperties.InJson(document.RootElement) is { } duplicate) return (null, duplicate);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
        var username = document.RootElement.EnumerateObject()
            .FirstOrDefault(property => string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String);
        return (username.Value.ValueKind == JsonValueKind.String ? username.Value.GetString() : null, null);
    }
}
