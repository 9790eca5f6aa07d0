using Microsoft.Extensions.Hosting;
using System.Text.RegularExpressions;

namespace Submissions.Api.Domain;

/// <summary>The checks every submission passes before anything is stored.</summary>
public static partial class SubmissionRules
{
    public const int MaxValues = 500;
    public const decimal MaxValue = 10_000_000m;

    [GeneratedRegex("^[A-Z][0-9]{5}$")]
    private static partial Regex OdsCode();

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,31}$")]
    private static partial Regex Code();

    // A month (2026-10), a quarter (2026-Q3) or a financial year (2026/27).
    [GeneratedRegex("^(20[0-9]{2}-(0[1-9]|1[0-2])|20[0-9]{2}-Q[1-4]|20[0-9]{2}/[0-9]{2})$")]
    private static partial Regex PeriodFormat();

    public static List<FieldError> Validate(string? practiceOds, string? serviceCode, string? period,
        IReadOnlyList<(string? Indicator, decimal? Value)>? values)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(practiceOds)) errors.Add(new("practiceOds", "required", "The practice ODS code is required."));
        else if (!OdsCode().IsMatch(practiceOds)) errors.Add(new("practiceOds", "invalid_format", "An ODS code is a letter and five digits, like A81001."));

        if (string.IsNullOrWhiteSpace(serviceCode)) errors.Add(new("serviceCode", "required", "The service code is required."));
        else if (!Code().IsMatch(serviceCode)) errors.Add(new("serviceCode", "invalid_format", "A service code is upper-case letters, digits and underscores."));

        if (string.IsNullOrWhiteSpace(period)) errors.Add(new("period", "required", "The reporting period is required."));
        else if (!PeriodFormat().IsMatch(period)) errors.Add(new("period", "invalid_format", "A period looks like 2026-10, 2026-Q3 or 2026/27."));

        if (values is null || values.Count == 0)
        {
            errors.Add(new("values", "required", "At least one indicator value is required."));
            return errors;
        }
        if (values.Count > MaxValues) errors.Add(new("values", "too_many", $"At most {MaxValues} values may be submitted at once."));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var (indicator, value) = values[i];
            var field = $"values[{i}]";
            if (string.IsNullOrWhiteSpace(indicator)) errors.Add(new($"{field}.indicator", "required", "The indicator code is required."));
            else if (!Code().IsMatch(indicator)) errors.Add(new($"{field}.indicator", "invalid_format", "An indicator code is upper-case letters, digits and underscores."));
            else if (!seen.Add(indicator)) errors.Add(new($"{field}.indicator", "duplicate_indicator", $"{indicator} appears more than once."));

            if (value is null) errors.Add(new($"{field}.value", "required", "The value is required."));
            else if (value < 0) errors.Add(new($"{field}.value", "negative", "A value cannot be negative."));
            else if (value > MaxValue) errors.Add(new($"{field}.value", "above_maximum", $"A value cannot exceed {MaxValue}."));
            else if (value != decimal.Truncate(value.Value)) errors.Add(new($"{field}.value", "not_whole_number", "Counts are whole numbers."));
        }
        return errors;
    }
}
