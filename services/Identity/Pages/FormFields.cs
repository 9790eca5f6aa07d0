using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>NHS.UK form pieces: a labelled input with its hint and inline error, and the hidden fields every form carries.</summary>
public static class FormFields
{
    public static string Input(
        string id, string label, string type, string autocomplete, FormErrors errors, string? value = null, string? hint = null, string? extraAttributes = null)
    {
        var error = errors.For(id);
        var describedBy = string.Join(" ", new[] { hint is null ? null : $"{id}-hint", error is null ? null : $"{id}-error" }.OfType<string>());
        return $"""
            <div class="nhsuk-form-group{(error is null ? "" : " nhsuk-form-group--error")}">
            <label class="nhsuk-label" for="{id}">{E(label)}</label>
            {(hint is null ? "" : $"""<div class="nhsuk-hint" id="{id}-hint">{E(hint)}</div>""")}
            {(error is null ? "" : $"""<span class="nhsuk-error-message" id="{id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> {E(error)}</span>""")}
            <input class="nhsuk-input{(error is null ? "" : " nhsuk-input--error")}" id="{id}" name="{id}" type="{type}" autocomplete="{autocomplete}" spellcheck="false"{(value is null ? "" : $" value=\"{E(value)}\"")}{(describedBy.Length == 0 ? "" : $" aria-describedby=\"{describedBy}\"")}{extraAttributes}>
            </div>
            """;
    }

    /// <summary>The antiforgery token and the authorize request to go back to.</summary>
    public static string Hidden(string antiforgeryField, string antiforgeryToken, string returnUrl) => $"""
        <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
        <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
        """;
}
