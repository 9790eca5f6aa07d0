using System.Text.Json;

namespace Platform.Resilience.BadInput;

/// <summary>A field of a JSON body: its name and JSON type (<c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>array</c>, <c>object</c>).</summary>
public sealed record BodyField(string Name, string Type, bool Required, IReadOnlyList<BodyField> ItemFields);

/// <summary>A path, query or header parameter.</summary>
public sealed record Parameter(string Name, string In, string Type, string? Format);

/// <summary>One operation of a service's OpenAPI document, as it is reached through the gateway.</summary>
public sealed record Endpoint(string Service, string Method, string Path, IReadOnlyList<Parameter> Parameters, IReadOnlyList<BodyField>? Body)
{
    public bool Changes => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Reads the operations, parameters and body fields of the documents the gateway serves at <c>/openapi/{service}.json</c>.</summary>
public static class OpenApiEndpoints
{
    public static IEnumerable<Endpoint> Read(string service, JsonElement document)
    {
        var schemas = document.GetProperty("components").TryGetProperty("schemas", out var found) ? found : default;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        TypeOf(p.GetProperty("schema")), p.GetProperty("schema").TryGetProperty("format", out var format) ? format.GetString() : null)).ToList()
                    : [];
                IReadOnlyList<BodyField>? body = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    body = Fields(Resolve(json.GetProperty("schema"), schemas), schemas, depth: 0);
                }

                yield return new Endpoint(service, operation.Name.ToUpperInvariant(), path.Name, parameters, body);
            }
        }
    }

    private static List<BodyField> Fields(JsonElement schema, JsonElement schemas, int depth)
    {
        if (depth > 3 || !schema.TryGetProperty("properties", out var properties)) return [];
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        return [.. properties.EnumerateObject().Select(property =>
        {
            var type = TypeOf(property.Value);
            var items = type == "array" && property.Value.TryGetProperty("items", out var itemSchema)
                ? Fields(Resolve(itemSchema, schemas), schemas, depth + 1)
                : type == "object" ? Fields(Resolve(property.Value, schemas), schemas, depth + 1) : [];
            return new BodyField(property.Name, type, required.Contains(property.Name), items);
        })];
    }

    /// <summary>Follows <c>$ref</c> and picks the non-null branch of <c>oneOf</c>.</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        if (schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
        {
            return Resolve(options.EnumerateArray().First(o => TypeOf(o) != "null"), schemas);
        }

        return schema;
    }

    /// <summary>The JSON type, ignoring "null" in OpenAPI 3.1 type lists (integers that may be sent as strings count as integers).</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out _)) return "object";
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("oneOf", out _) ? "object" : "string";
        if (type.ValueKind == JsonValueKind.String) return type.GetString()!;
        var types = type.EnumerateArray().Select(t => t.GetString()!).Where(t => t != "null").ToList();
        return types.FirstOrDefault(t => t is "integer" or "number" or "boolean" or "array" or "object") ?? types.FirstOrDefault() ?? "string";
    }
}
