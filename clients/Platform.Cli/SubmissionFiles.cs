using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Cli;

/// <summary>
/// Reads a submission from <c>.json</c> (the API's body as is) or <c>.csv</c> with a header row
/// <c>practiceOds,serviceCode,period,indicator,value</c> (one row per indicator, the first three the same on every row).
/// </summary>
public static class SubmissionFiles
{
    public static string ToJson(string path)
    {
        if (!File.Exists(path)) throw new CliException($"{path} does not exist.", "file_not_found", ExitCodes.Usage);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".json" => ValidJson(File.ReadAllText(path), path),
            ".csv" => FromCsv(File.ReadAllLines(path), path),
            _ => throw new CliException($"{path}: give a .json or .csv file.", "unsupported_file", ExitCodes.Usage),
        };
    }

    private static string ValidJson(string text, string path)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return text;
        }
        catch (JsonException exception)
        {
            throw new CliException($"{path} is not valid JSON: {exception.Message}", "invalid_file", ExitCodes.Usage);
        }
    }

    public static string FromCsv(IReadOnlyList<string> lines, string path)
    {
        var rows = lines.Where(line => !string.IsNullOrWhiteSpace(line)).Select(line => line.Split(',').Select(cell => cell.Trim().Trim('"')).ToArray()).ToList();
        if (rows.Count < 2) throw new CliException($"{path}: expected a header row and at least one value row.", "invalid_file", ExitCodes.Usage);
        var header = rows[0].Select(name => name.ToLowerInvariant()).ToList();
        int Column(params string[] names)
        {
            var index = header.FindIndex(name => names.Contains(name));
            return index >= 0 ? index : throw new CliException($"{path}: the header needs a '{names[0]}' column.", "invalid_file", ExitCodes.Usage);
        }
        var (practice, service, period, indicator, value) = (Column("practiceods", "practice"), Column("servicecode", "service"), Column("period"),
            Column("indicator"), Column("value"));
        var values = new JsonArray();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Length < header.Count) throw new CliException($"{path}: row {i + 1} has {row.Length} cells, expected {header.Count}.", "invalid_file", ExitCodes.Usage);
            if (!decimal.TryParse(row[value], NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                throw new CliException($"{path}: row {i + 1}: '{row[value]}' is not a number.", "invalid_file", ExitCodes.Usage);
            }
            if (row[practice] != rows[1][practice] || row[service] != rows[1][service] || row[period] != rows[1][period])
            {
                throw new CliException($"{path}: row {i + 1}: one file is one submission (same practice, service and period on every row).", "invalid_file", ExitCodes.Usage);
            }
            values.Add(new JsonObject { ["indicator"] = row[indicator], ["value"] = number });
        }
        return new JsonObject
        {
            ["practiceOds"] = rows[1][practice],
            ["serviceCode"] = rows[1][service],
            ["period"] = rows[1][period],
            ["values"] = values,
        }.ToJsonString();
    }
}
