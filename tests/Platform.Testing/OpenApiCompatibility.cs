using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Testing;

/// <summary>
/// What a change to a service's OpenAPI document breaks for the client apps written against the committed one.
/// Breaking: an operation or a success status removed; a required parameter or request field added; a request type
/// narrowed or its limits tightened (length, range, item count, enum, pattern: a value clients send is refused); a response
/// field removed, made optional, its type widened or its limits loosened (a client meets a value it cannot read); an
/// anonymous operation now needing a token. Adding operations, optional parameters
/// and request fields, and response fields, is compatible.
/// </summary>
public static class OpenApiCompatibility
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public static IReadOnlyList<string> BreakingChanges(JsonNode committed, JsonNode current)
    {
        var changes = new List<string>();
        var before = new Document(committed);
        var after = new Document(current);
        foreach (var (path, oldItem) in Objects(committed["paths"]))
        {
            foreach (var method in Methods)
            {
                if (oldItem[method] is not JsonObject oldOperation) continue;
                var name = $"{method.ToUpperInvariant()} {path}";
                if (current["paths"]?[path]?[method] is not JsonObject newOperation)
                {
                    changes.Add($"{name}: removed");
                    continue;
                }
                CompareOperation(name, before, oldOperation, after, newOperation, changes);
            }
        }
        return changes;
    }

    /// <summary>The major number of <c>info.version</c> (<c>v1</c>, <c>1.2</c> and <c>1</c> are all 1); a bump allows breaking changes.</summary>
    public static int MajorVersion(JsonNode document)
    {
        var text = document["info"]?["version"]?.GetValue<string>() ?? "";
        var digits = new string(text.TrimStart('v', 'V').TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, out var major) ? major : 0;
    }

    private static void CompareOperation(string name, Document before, JsonObject oldOperation, Document after, JsonObject newOperation, List<string> changes)
    {
        if (IsAnonymous(oldOperation) && !IsAnonymous(newOperation)) changes.Add($"{name}: now needs a token");

        var oldParameters = Parameters(before, oldOperation);
        foreach (var (key, parameter) in Parameters(after, newOperation))
        {
            var required = parameter["required"]?.GetValue<bool>() == true;
            if (!oldParameters.TryGetValue(key, out var oldParameter))
            {
                if (required) changes.Add($"{name}: required parameter {key} added");
                continue;
            }
            if (required && oldParameter["required"]?.GetValue<bool>() != true) changes.Add($"{name}: parameter {key} made required");
            new SchemaComparison(before, after, Direction.Request, changes).Compare($"{name} parameter {key}", oldParameter["schema"], parameter["schema"]);
        }

        var oldRequestBody = before.Resolve(oldOperation["requestBody"]);
        var newRequestBody = after.Resolve(newOperation["requestBody"]);
        if (newRequestBody?["required"]?.GetValue<bool>() == true && oldRequestBody?["required"]?.GetValue<bool>() != true)
        {
            changes.Add($"{name}: request body now required");
        }
        var oldBody = JsonContent(oldRequestBody);
        if (oldBody is not null)
        {
            new SchemaComparison(before, after, Direction.Request, changes)
                .Compare($"{name} request", oldBody, JsonContent(newRequestBody));
        }

        foreach (var (status, oldResponse) in Objects(oldOperation["responses"]).Where(r => r.Key.StartsWith('2')))
        {
            if (newOperation["responses"]?[status] is not { } newResponse)
            {
                changes.Add($"{name}: response {status} removed");
                continue;
            }
            var oldSchema = JsonContent(before.Resolve(oldResponse));
            if (oldSchema is null) continue;
            var newSchema = JsonContent(after.Resolve(newResponse));
            if (newSchema is null)
            {
                changes.Add($"{name} response {status}: JSON body removed");
                continue;
            }
            new SchemaComparison(before, after, Direction.Response, changes).Compare($"{name} response {status}", oldSchema, newSchema);
        }
    }

    private static bool IsAnonymous(JsonObject operation) =>
        operation["security"] is JsonArray requirements && (requirements.Count == 0 || requirements.Any(r => r is JsonObject { Count: 0 }));

    private static Dictionary<string, JsonNode> Parameters(Document document, JsonObject operation) =>
        (operation["parameters"] as JsonArray ?? []).Select(p => document.Resolve(p)).OfType<JsonNode>()
            .ToDictionary(p => $"{p["in"]?.GetValue<string>()}:{p["name"]?.GetValue<string>()}", StringComparer.OrdinalIgnoreCase);

    private static JsonNode? JsonContent(JsonNode? bodyOrResponse) =>
        Objects(bodyOrResponse?["content"]).FirstOrDefault(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)).Value?["schema"];

    private static IEnumerable<KeyValuePair<string, JsonNode>> Objects(JsonNode? node) =>
        node is JsonObject obj ? obj.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, JsonNode>(p.Key, p.Value!)) : [];

    private enum Direction { Request, Response }

    private sealed class Document(JsonNode root)
    {
        public JsonNode? Resolve(JsonNode? node)
        {
            for (var depth = 0; depth < 20 && node?["$ref"]?.GetValue<string>() is { } reference; depth++)
            {
                node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                    .Aggregate((JsonNode?)root, (current, segment) => current?[segment.Replace("~1", "/").Replace("~0", "~")]);
            }
            return node;
        }
    }

    private sealed class SchemaComparison(Document before, Document after, Direction direction, List<string> changes)
    {
        private readonly HashSet<(string, string)> seen = [];

        public void Compare(string at, JsonNode? oldSchema, JsonNode? newSchema)
        {
            // Each pair of referenced schemas is compared once: that ends recursion, and reports a change at its first use.
            if (oldSchema?["$ref"]?.GetValue<string>() is { } oldReference && newSchema?["$ref"]?.GetValue<string>() is { } newReference
                && !seen.Add((oldReference, newReference)))
            {
                return;
            }
            var oldResolved = Unwrap(before, oldSchema);
            var newResolved = Unwrap(after, newSchema);
            if (oldResolved is null) return;
            if (newResolved is null)
            {
                changes.Add($"{at}: schema removed");
                return;
            }

            var oldTypes = Types(before, oldSchema);
            var newTypes = Types(after, newSchema);
            var widened = newTypes.Except(oldTypes).ToList();
            var narrowed = oldTypes.Except(newTypes).ToList();
            if (oldTypes.Count > 0 && newTypes.Count > 0)
            {
                if (direction == Direction.Response && widened.Count > 0) changes.Add($"{at}: type {Describe(oldTypes)} became {Describe(newTypes)}");
                if (direction == Direction.Request && narrowed.Count > 0) changes.Add($"{at}: type {Describe(oldTypes)} became {Describe(newTypes)}");
            }
            var oldFormat = oldResolved["format"]?.GetValue<string>();
            var newFormat = newResolved["format"]?.GetValue<string>();
            if (oldFormat is not null && newFormat != oldFormat) changes.Add($"{at}: format {oldFormat} became {newFormat ?? "none"}");
            CompareBounds(at, oldResolved, newResolved);

            CompareProperties(at, oldResolved, newResolved);
            if (oldResolved["items"] is { } oldItems) Compare(at + "[]", oldItems, newResolved["items"]);
        }

        private void CompareProperties(string at, JsonNode oldSchema, JsonNode newSchema)
        {
            var oldRequired = Required(oldSchema);
            var newRequired = Required(newSchema);
            var oldProperties = oldSchema["properties"] as JsonObject ?? [];
            var newProperties = newSchema["properties"] as JsonObject ?? [];
            if (direction == Direction.Request)
            {
                foreach (var name in newRequired.Except(oldRequired)) changes.Add($"{at}.{name}: now required");
            }
            foreach (var (name, oldProperty) in oldProperties)
            {
                if (!newProperties.TryGetPropertyValue(name, out var newProperty))
                {
                    if (direction == Direction.Response) changes.Add($"{at}.{name}: removed");
                    continue;
                }
                if (direction == Direction.Response && oldRequired.Contains(name) && !newRequired.Contains(name)) changes.Add($"{at}.{name}: no longer always present");
                Compare($"{at}.{name}", oldProperty, newProperty);
            }
        }

        /// <summary>
        /// The limits on a value: a request's made tighter refuses values clients send; a response's made looser lets
        /// through values clients were told they would not meet.
        /// </summary>
        private void CompareBounds(string at, JsonNode oldSchema, JsonNode newSchema)
        {
            foreach (var (keyword, isUpper) in Bounds)
            {
                var oldBound = Number(oldSchema[keyword]);
                var newBound = Number(newSchema[keyword]);
                if (oldBound == newBound) continue;
                var tighter = newBound is { } n && (oldBound is not { } o || (isUpper ? n < o : n > o));
                if (tighter == (direction == Direction.Request))
                {
                    changes.Add($"{at}: {keyword} {oldBound?.ToString(CultureInfo.InvariantCulture) ?? "none"} became {newBound?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
                }
            }

            var oldValues = Enumeration(oldSchema);
            var newValues = Enumeration(newSchema);
            var (limiting, limited) = direction == Direction.Request ? (newValues, oldValues) : (oldValues, newValues);
            if (limiting is not null && (limited is null || !limited.IsSubsetOf(limiting)))
            {
                changes.Add($"{at}: enum {DescribeValues(oldValues)} became {DescribeValues(newValues)}");
            }

            var oldPattern = oldSchema["pattern"]?.GetValue<string>();
            var newPattern = newSchema["pattern"]?.GetValue<string>();
            var constraining = direction == Direction.Request ? newPattern : oldPattern;
            if (constraining is not null && oldPattern != newPattern) changes.Add($"{at}: pattern {oldPattern ?? "none"} became {newPattern ?? "none"}");
        }

        private static readonly (string Keyword, bool IsUpper)[] Bounds =
            [("maxLength", true), ("maximum", true), ("maxItems", true), ("minLength", false), ("minimum", false), ("minItems", false)];

        /// <summary>A bound as a number, whether the document wrote it as one or as a string.</summary>
        private static decimal? Number(JsonNode? node) =>
            node is JsonValue value && decimal.TryParse(value.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : null;

        private static HashSet<string>? Enumeration(JsonNode schema) =>
            schema["enum"] is JsonArray values ? [.. values.Select(value => value?.ToJsonString() ?? "null")] : null;

        private static string DescribeValues(HashSet<string>? values) => values is null ? "none" : $"[{string.Join(",", values.Order(StringComparer.Ordinal))}]";

        private static HashSet<string> Required(JsonNode schema) =>
            [.. (schema["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>())];

        /// <summary>The object schema behind a reference or a nullable wrapper (<c>oneOf: [null, $ref]</c>).</summary>
        private static JsonNode? Unwrap(Document document, JsonNode? schema)
        {
            var resolved = document.Resolve(schema);
            if ((resolved?["oneOf"] ?? resolved?["anyOf"]) is JsonArray options)
            {
                var notNull = options.Where(option => document.Resolve(option)?["type"]?.ToString() != "null").ToList();
                if (notNull.Count == 1) return document.Resolve(notNull[0]);
            }
            return resolved;
        }

        /// <summary>The JSON types a schema allows (<c>type</c> as a string or an array, and null from a nullable wrapper).</summary>
        private static HashSet<string> Types(Document document, JsonNode? schema)
        {
            var resolved = document.Resolve(schema);
            var types = new HashSet<string>(StringComparer.Ordinal);
            switch (resolved?["type"])
            {
                case JsonArray array: types.UnionWith(array.Select(t => t!.GetValue<string>())); break;
                case JsonValue value: types.Add(value.GetValue<string>()); break;
            }
            foreach (var option in (resolved?["oneOf"] ?? resolved?["anyOf"]) as JsonArray ?? [])
            {
                var optionTypes = Types(document, option);
                types.UnionWith(optionTypes.Count > 0 ? optionTypes : ["object"]);
            }
            if (types.Count == 0 && resolved?["properties"] is not null) types.Add("object");
            if (types.Contains("integer") && types.Contains("number")) types.Remove("integer");
            return types;
        }

        private static string Describe(HashSet<string> types) => string.Join("|", types.Order(StringComparer.Ordinal));
    }
}
