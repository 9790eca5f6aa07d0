using System.Globalization;
using Platform.Client.Submissions.Models;
using Portal.Components.Shared;

namespace Portal.Components.Pages.Submissions;

/// <summary>
/// Turns the submission form (values typed, or a CSV file in the format <c>platform-cli submit</c> reads) into the API's
/// request, with an error against the field at fault for anything a person can correct before it is sent.
/// </summary>
public static class SubmissionRequests
{
    public const long MaxFileBytes = 1024 * 1024;
    private static readonly string[] Header = ["practiceOds", "serviceCode", "period", "indicator", "value"];

    public static async Task<SubmissionRequest?> FromFormAsync(SubmissionForm form, IFormFile? file, string practiceOds, CatalogueServiceView service, FormErrors errors)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxFileBytes)
            {
                errors.Add("file", "The file must be smaller than 1 MB");
                return null;
            }
            using var reader = new StreamReader(file.OpenReadStream());
            return FromCsv((await reader.ReadToEndAsync()).Split('\n'), practiceOds, service, errors);
        }

        if (string.IsNullOrEmpty(form.Period)) errors.Add("period", "Select a reporting period");
        var values = new List<SubmissionValueRequest>();
        foreach (var indicator in service.Indicators ?? [])
        {
            var text = form.ValueOf(indicator.Code!)?.Trim();
            if (string.IsNullOrEmpty(text)) continue;
            if (decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.GetCultureInfo("en-GB"), out var value) && value >= 0)
            {
                values.Add(new SubmissionValueRequest { Indicator = indicator.Code, Value = value });
            }
            else
            {
                errors.Add($"value-{indicator.Code}", $"{indicator.Name} must be a number, like 120");
            }
        }
        if (values.Count == 0 && !errors.Any) errors.Add($"value-{service.Indicators?.FirstOrDefault()?.Code}", "Enter at least one value");
        return errors.Any ? null : new SubmissionRequest { PracticeOds = practiceOds, ServiceCode = service.Code, Period = form.Period, Values = values };
    }

    public static SubmissionRequest? FromCsv(IEnumerable<string> lines, string practiceOds, CatalogueServiceView service, FormErrors errors)
    {
        var rows = lines.Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => line.Trim().Split(',').Select(cell => cell.Trim().Trim('"')).ToArray()).ToList();
        if (rows.Count < 2 || !rows[0].SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("file", "The file must start with the header row practiceOds,serviceCode,period,indicator,value and have at least one value");
            return null;
        }
        var values = new List<SubmissionValueRequest>();
        string? period = null;
        for (var index = 1; index < rows.Count; index++)
        {
            var row = rows[index];
            var line = index + 1;
            if (row.Length != Header.Length) { errors.Add("file", $"Row {line} must have 5 values separated by commas"); return null; }
            if (!string.Equals(row[0], practiceOds, StringComparison.OrdinalIgnoreCase)) { errors.Add("file", $"Row {line} is for practice {row[0]}, not yours ({practiceOds})"); return null; }
            if (!string.Equals(row[1], service.Code, StringComparison.OrdinalIgnoreCase)) { errors.Add("file", $"Row {line} is for service {row[1]}, not {service.Code}"); return null; }
            if (period is not null && row[2] != period) { errors.Add("file", $"Row {line} is for period {row[2]}; every row must be for {period}"); return null; }
            period = row[2];
            if (!decimal.TryParse(row[4], NumberStyles.Number, CultureInfo.InvariantCulture, out var value)) { errors.Add("file", $"Row {line}: the value {row[4]} is not a number"); return null; }
            values.Add(new SubmissionValueRequest { Indicator = row[3], Value = value });
        }
        return new SubmissionRequest { PracticeOds = practiceOds.ToUpperInvariant(), ServiceCode = service.Code, Period = period, Values = values };
    }

    /// <summary>
    /// The API's field names mapped to the form's fields: <c>period</c>, and <c>values[i]</c> (with <c>.value</c> or
    /// <c>.indicator</c>) for the i-th value sent, which is the typed indicator's input or, for an upload, the file.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FieldIds(SubmissionRequest request, bool fromFile)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["period"] = fromFile ? "file" : "period", ["values"] = "file" };
        var values = request.Values ?? [];
        for (var index = 0; index < values.Count; index++)
        {
            var id = fromFile ? "file" : $"value-{values[index].Indicator}";
            foreach (var suffix in new[] { "", ".value", ".indicator" }) ids[$"values[{index}]{suffix}"] = id;
        }
        return ids;
    }
}
