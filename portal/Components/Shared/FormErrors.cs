using Portal.Api;

namespace Portal.Components.Shared;

/// <summary>
/// A form's errors in the order the fields appear: the error summary lists them (each linking to its field), and each
/// field shows its own. Errors without a field (a refusal of the whole request) appear in the summary only.
/// </summary>
public sealed class FormErrors
{
    private readonly List<(string? FieldId, string Message)> errors = [];

    public bool Any => errors.Count > 0;

    public IReadOnlyList<(string? FieldId, string Message)> All => errors;

    public void Add(string fieldId, string message)
    {
        if (For(fieldId) is null) errors.Add((fieldId, message));
    }

    public void AddGeneral(string message) => errors.Add((null, message));

    public string? For(string fieldId) => errors.FirstOrDefault(error => error.FieldId == fieldId).Message;

    /// <summary>
    /// Adds an API's refusal: each field it names goes to the matching form field (<paramref name="fieldIds"/> maps the
    /// API's field names to the form's ids), anything else to the summary.
    /// </summary>
    public void Add(ApiProblem problem, IReadOnlyDictionary<string, string> fieldIds)
    {
        if (problem.Fields.Count == 0)
        {
            AddGeneral(problem.Message);
            return;
        }
        foreach (var field in problem.Fields)
        {
            if (fieldIds.TryGetValue(field.Field, out var id)) Add(id, Sentence(field.Message));
            else AddGeneral(Sentence(field.Message));
        }
    }

    private static string Sentence(string message) =>
        message.Length > 0 && char.IsLower(message[0]) ? char.ToUpperInvariant(message[0]) + message[1..] : message;
}
