using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>
/// A form's errors, in the order of its fields: the NHS.UK error summary at the top of the page (each message a link to
/// its field) and the inline message beside each field.
/// </summary>
public sealed class FormErrors
{
    private readonly List<(string FieldId, string Message)> errors = [];

    public bool Any => errors.Count > 0;

    public FormErrors Add(string fieldId, string message)
    {
        errors.Add((fieldId, message));
        return this;
    }

    public string? For(string fieldId)
    {
        var messages = errors.Where(error => error.FieldId == fieldId).Select(error => error.Message).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    public string Summary()
    {
        if (!Any)
        {
            return "";
        }

        var items = string.Concat(errors.Select(error => $"""<li><a href="#{E(error.FieldId)}">{E(error.Message)}</a></li>"""));
        return $"""
            <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" data-module="nhsuk-error-summary">
            <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
            <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list" role="list">{items}</ul></div>
            </div>
            """;
    }
}
