using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.ServiceDefaults;

/// <summary>One field that failed validation, with a stable code a client can act on.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>Problem details results with the platform's stable error codes, typed so handlers can return them in <c>Results&lt;...&gt;</c>.</summary>
public static class Problems
{
    private static readonly HashSet<string> StandardMembers = new(["type", "title", "status", "detail", "instance"], StringComparer.OrdinalIgnoreCase);

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?> { ["code"] = code };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                // An extension named like a standard member would write that member twice, which strict clients refuse.
                if (StandardMembers.Contains(key)) throw new ArgumentException($"'{key}' is a standard problem details member, not an extension.", nameof(extensions));
                all[key] = value;
            }
        }
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: all);
    }

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors) =>
        Create(StatusCodes.Status400BadRequest, "validation_failed", "The request is not valid.",
            string.Join(" ", errors.Select(error => $"{error.Field}: {error.Message}")),
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, "not_found", $"{what} was not found.");
}
