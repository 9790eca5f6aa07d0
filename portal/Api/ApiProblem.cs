using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Portal.Api;

/// <summary>One field the API refused, with its message for a person.</summary>
public sealed record ApiFieldError(string Field, string Code, string Message);

/// <summary>
/// An API's refusal (RFC 9457 problem details with a stable <c>code</c>) as the portal shows it: the code to act on, a
/// sentence for a person, and the fields at fault. Never the JSON, the status line or an API path.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Message, IReadOnlyList<ApiFieldError> Fields)
{
    public static ApiProblem From(ApiException exception) => exception switch
    {
        Platform.Client.Identity.Models.ProblemDetails p => Create(exception.ResponseStatusCode, p.Code, p.Title, p.Detail, p.AdditionalData),
        Platform.Client.Submissions.Models.ProblemDetails p => Create(exception.ResponseStatusCode, p.Code, p.Title, p.Detail, p.AdditionalData),
        Platform.Client.Payments.Models.ProblemDetails p => Create(exception.ResponseStatusCode, p.Code, p.Title, p.Detail, p.AdditionalData),
        Platform.Client.Notifications.Models.ProblemDetails p => Create(exception.ResponseStatusCode, p.Code, p.Title, p.Detail, p.AdditionalData),
        _ => new ApiProblem(exception.ResponseStatusCode, "unavailable", Unavailable, []),
    };

    public const string Unavailable = "The service is not available at the moment. Try again in a few minutes.";

    public bool IsNotFound => Status == 404;

    private static ApiProblem Create(int status, string? code, string? title, string? detail, IDictionary<string, object> extra)
    {
        var fields = FieldErrors(extra);
        var message = status switch
        {
            >= 500 => Unavailable,
            429 => "You have tried too many times. Wait a few minutes, then try again.",
            _ => (fields.Count > 0 ? title : detail ?? title) ?? "Something went wrong.",
        };
        return new ApiProblem(status, code ?? "error", message, fields);
    }

    private static List<ApiFieldError> FieldErrors(IDictionary<string, object> extra)
    {
        if (!extra.TryGetValue("errors", out var value) || value is not UntypedArray array) return [];
        var errors = new List<ApiFieldError>();
        foreach (var item in array.GetValue().OfType<UntypedObject>())
        {
            var properties = item.GetValue();
            errors.Add(new ApiFieldError(Text(properties, "field"), Text(properties, "code"), Text(properties, "message")));
        }
        return errors;
    }

    private static string Text(IDictionary<string, UntypedNode> properties, string name) =>
        properties.TryGetValue(name, out var node) && node is UntypedString text ? text.GetValue() ?? "" : "";
}
