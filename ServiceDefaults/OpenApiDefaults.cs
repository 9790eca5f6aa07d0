using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults;

/// <summary>
/// Every service's OpenAPI document (Microsoft.AspNetCore.OpenApi) shaped the same way: served at <c>/openapi/v1.json</c>
/// (the gateway republishes it as <c>/openapi/{service}.json</c>), no <c>servers</c> entry so clients call the gateway that
/// served it, the <c>Bearer</c> security scheme on every operation that needs a token, and the platform's problem-details
/// responses (<c>ProblemDetails</c> schema with <c>code</c> and <c>traceId</c>, with an example) on every operation, and the
/// request/response examples an endpoint declares with <see cref="OpenApiExamples.WithExamples"/>.
/// </summary>
public static class OpenApiDefaults
{
    public const string DocumentName = "v1";
    public const string RoutePattern = "/openapi/{documentName}.json";
    public const string SecuritySchemeName = "Bearer";
    public const string ProblemSchemaName = "ProblemDetails";
    public const string ProblemContentType = "application/problem+json";

    /// <summary>
    /// Adds the <c>v1</c> document (the route's name stays <c>v1</c>; the gateway republishes it). <paramref name="title"/> defaults to the
    /// application name. <paramref name="version"/> is the API's own <c>info.version</c>: its major number goes up with each change
    /// that breaks clients (tests/Platform.Testing/OpenApiCompatibility.cs says what does).
    /// </summary>
    public static IHostApplicationBuilder AddPlatformOpenApi(this IHostApplicationBuilder builder, string? title = null, string? description = null,
        string version = "v1")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var documentTitle = title ?? builder.Environment.ApplicationName;
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info ??= new OpenApiInfo();
                document.Info.Title = documentTitle;
                document.Info.Version = version;
                document.Info.Description ??= description;
                // Relative: the gateway that served the document is the one to call.
                document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway that served this document." }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from the identity service (POST /connect/token through the gateway), audience platform-api.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchemaName] = ProblemSchema();
                return Task.CompletedTask;
            });
            // Money and clinical counts are decimal: say so, or generated clients read them into binary floating point.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(decimal)) schema.Format = "decimal";
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                operation.Responses ??= new OpenApiResponses();
                var route = "/" + (context.Description.RelativePath ?? string.Empty).TrimStart('/');
                var method = context.Description.HttpMethod ?? "GET";
                operation.Summary ??= $"{method} {route}";
                operation.OperationId ??= OperationId(method, route);
                if (!needsToken)
                {
                    operation.Security = [new OpenApiSecurityRequirement()]; // explicitly anonymous
                }
                if (needsToken)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] });
                    AddProblem(operation, context.Document, StatusCodes.Status401Unauthorized, "No valid access token.", "unauthorized");
                    AddProblem(operation, context.Document, StatusCodes.Status403Forbidden, "The token does not grant the role this needs.", "forbidden");
                }
                if (context.Description.ParameterDescriptions.Count > 0)
                {
                    AddProblem(operation, context.Document, StatusCodes.Status400BadRequest, "The request is not valid (see code and errors).", "validation_failed");
                }
                AddProblem(operation, context.Document, StatusCodes.Status429TooManyRequests, "Too many requests; see Retry-After.", "too_many_requests");
                AddProblem(operation, context.Document, StatusCodes.Status500InternalServerError, "Unexpected error; quote traceId.", "internal_error");
                OpenApiExamples.Apply(operation, context);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps the document at <c>/openapi/v1.json</c>, anonymous and in every environment.</summary>
    public static WebApplication MapPlatformOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(RoutePattern).AllowAnonymous();
        return app;
    }

    /// <summary>A stable id from method and route when the endpoint has no name: <c>GET /api/submissions/{id}</c> is <c>getApiSubmissionsById</c>.</summary>
    public static string OperationId(string method, string route)
    {
        var builder = new System.Text.StringBuilder(method.ToLowerInvariant());
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var isParameter = segment.StartsWith('{');
            var name = isParameter ? segment.Trim('{', '}').Split(':', '=', '?')[0] : segment;
            if (isParameter) builder.Append("By");
            foreach (var part in name.Split('-', '_', '.'))
            {
                if (part.Length > 0) builder.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
            }
        }
        return builder.ToString();
    }

    internal static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description, string code)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new()
                {
                    Schema = new OpenApiSchemaReference(ProblemSchemaName, document),
                    Example = new JsonObject
                    {
                        ["type"] = "about:blank",
                        ["title"] = description,
                        ["status"] = status,
                        ["code"] = code,
                        ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                    },
                },
            },
        };
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details, with the platform's stable error code and the trace id to quote.",
        Required = new HashSet<string> { "status", "title", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable, machine-readable error code, e.g. validation_failed." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id; also in the X-Trace-Id header." },
        },
        AdditionalPropertiesAllowed = true,
    };
}
