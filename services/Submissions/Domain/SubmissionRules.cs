using System.Text.RegularExpressions;
using Platform.ServiceDefaults;

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

    // A month (2026-10), a financial-year quarter (2026-Q3) or a financial year (2026/27).
    [GeneratedRegex("^(20[0-9]{2}-(0[1-9]|1[0-2])|20[0-9]{2}-Q[1-4]|20[0-9]{2}/[0-9]{2})$")]
    private static partial Regex PeriodFormat();

    /// <summary>Shape checks that need nothing but the request: formats, required fields, signs, duplicates.</summary>
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
            else if (decimal.Round(value.Value, 2) != value) errors.Add(new($"{field}.value", "too_many_decimals", "A value has at most two decimal places."));
        }
        return errors;
    }

    /// <summary>
    /// Everything <see cref="Validate(string?, string?, string?, IReadOnlyList{ValueTuple{string?, decimal?}}?)"/> checks, then what the
    /// catalogue says (known service, period and indicators, the submission window at <paramref name="now"/>, each indicator's maximum,
    /// whole counts for item services) and whether the caller may submit for the practice. Every failure is listed.
    /// </summary>
    public static List<FieldError> Validate(string? practiceOds, string? serviceCode, string? period,
        IReadOnlyList<(string? Indicator, decimal? Value)>? values, Catalogue catalogue, DateTimeOffset now, string? callersPractice)
    {
        var errors = Validate(practiceOds, serviceCode, period, values);
        bool Failed(string field) => errors.Any(e => e.Field == field);

        if (!Failed("practiceOds") && !string.Equals(practiceOds, callersPractice, StringComparison.Ordinal))
        {
            errors.Add(new("practiceOds", "other_practice", "You can only submit for your own practice."));
        }

        CatalogueService? service = null;
        if (!Failed("serviceCode") && !catalogue.HasService(serviceCode!))
        {
            errors.Add(new("serviceCode", "unknown_service", $"{serviceCode} is not a service in the catalogue."));
        }
        else if (!Failed("serviceCode") && !Failed("period"))
        {
            var found = catalogue.Find(serviceCode!, period!);
            if (found is null)
            {
                errors.Add(new("period", "unknown_period", $"{period} is not a reporting period of {serviceCode}."));
            }
            else
            {
                service = found.Value.Service;
                var window = found.Value.Period;
                if (now < window.WindowOpens)
                {
                    errors.Add(new("period", "window_not_open", $"Submissions for {period} open on {window.OpensAt:yyyy-MM-dd}."));
                }
                else if (now >= window.WindowCloses)
                {
                    errors.Add(new("period", "window_closed", $"The deadline for {period} was {window.Deadline:yyyy-MM-dd}."));
                }
            }
        }

        if (service is null || values is null) return [.. errors.OrderBy(e => FieldOrder(e.Field))];
        for (var i = 0; i < values.Count; i++)
        {
            var (code, value) = values[i];
            var field = $"values[{i}]";
            if (Failed($"{field}.indicator")) continue;
            var indicator = service.Indicator(code!);
            if (indicator is null)
            {
                errors.Add(new($"{field}.indicator", "unknown_indicator", $"{code} is not an indicator of {service.Code}."));
                continue;
            }
            if (Failed($"{field}.value")) continue;
            if (value > indicator.Maximum)
            {
                errors.Add(new($"{field}.value", "above_maximum", indicator.IsPoints
                    ? $"{code} is worth at most {indicator.Maximum} points."
                    : $"{code} cannot exceed {indicator.Maximum}."));
            }
            else if (!indicator.IsPoints && value != decimal.Truncate(value!.Value))
            {
                errors.Add(new($"{field}.value", "not_whole_number", "Counts are whole numbers."));
            }
        }
        return [.. errors.OrderBy(e => FieldOrder(e.Field))];
    }

    // practiceOds, serviceCode, period, values, then values[i] in index order (indicator before value).
    private static (int, int, int) FieldOrder(string field) => field switch
    {
        "practiceOds" => (0, 0, 0),
        "serviceCode" => (1, 0, 0),
        "period" => (2, 0, 0),
        "values" => (3, 0, 0),
        _ when field.StartsWith("values[", StringComparison.Ordinal) =>
            (4, int.Parse(field[7..field.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture), field.EndsWith(".value", StringComparison.Ordinal) ? 1 : 0),
        _ => (5, 0, 0),
    };
}
