using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults;

/// <summary>
/// Request and response examples for an endpoint's OpenAPI operation, written as the objects the endpoint takes and
/// returns (serialised like the API serialises them), so an example cannot drift from the type it shows.
/// </summary>
public static class OpenApiExamples
{
    private const string Json = "application/json";

    /// <summary>The request body and/or the success response shown in the document (and so in /docs and the generated client's docs).</summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder endpoint, object? request = null, object? response = null) =>
        endpoint.WithMetadata(new ExampleMetadata(request, response));

    internal static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ExampleMetadata>().LastOrDefault() is not { } examples) return;
        if (examples.Request is not null && operation.RequestBody?.Content?.TryGetValue(Json, out var requestBody) == true)
        {
            requestBody.Example = ToNode(examples.Request);
        }
        if (examples.Response is not null && operation.Responses is not null)
        {
            var success = operation.Responses.Where(r => r.Key.StartsWith('2')).OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => r.Value.Content).FirstOrDefault(content => content?.ContainsKey(Json) == true);
            if (success is not null) success[Json].Example = ToNode(examples.Response);
        }
    }

    private static JsonNode? ToNode(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web);

    private sealed record ExampleMetadata(object? Request, object? Response);
}
