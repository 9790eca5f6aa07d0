using System.Text.Json;
using Payments.Api.Domain;

namespace Payments.Api.Data;

/// <summary>
/// Loads the payment rules from the versioned JSON files in <c>Rules/</c> (one per financial year, embedded in the assembly) and
/// checks them, so a broken file stops the service at start-up.
/// </summary>
public static class PaymentRulesFiles
{
    private const string ResourcePrefix = "Payments.Rules.";

    public static IReadOnlyList<PaymentRules> LoadEmbedded()
    {
        var assembly = typeof(PaymentRulesFiles).Assembly;
        var years = new List<PaymentRules>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            years.Add(Parse(stream, name));
        }
        return Check(years);
    }

    public static PaymentRules Parse(Stream json, string source) =>
        JsonSerializer.Deserialize<PaymentRules>(json, JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException($"Payment rules file {source} is empty.");

    public static IReadOnlyList<PaymentRules> Check(IReadOnlyList<PaymentRules> years)
    {
        var problems = new List<string>();
        if (years.Count == 0) problems.Add("no rules files were found");
        if (years.Select(y => y.FinancialYear).Distinct().Count() != years.Count) problems.Add("a financial year appears twice");
        foreach (var year in years)
        {
            if (year.Currency != "GBP") problems.Add($"{year.FinancialYear}: the currency is {year.Currency}, not GBP");
            if (year.Rounding.AmountDecimals != 2 || year.Rounding.Midpoint != "away-from-zero") problems.Add($"{year.FinancialYear}: amounts must round to the penny, halves away from zero");
            if (year.ListSize.EnglandAverage <= 0) problems.Add($"{year.FinancialYear}: no England average list size");
            foreach (var service in year.Services)
            {
                var where = $"{year.FinancialYear} {service.ServiceCode}";
                switch (service.Kind)
                {
                    case ServiceRule.QofKind when service.ValuePerPoint is not > 0 || service.Indicators is not { Count: > 0 }:
                        problems.Add($"{where}: a QOF rule needs a value per point and its indicators");
                        break;
                    case ServiceRule.ItemKind when service.FeesPerItem is not { Count: > 0 } || service.FeesPerItem.Values.Any(f => f <= 0):
                        problems.Add($"{where}: an item rule needs a positive fee for each indicator");
                        break;
                    case not (ServiceRule.QofKind or ServiceRule.ItemKind):
                        problems.Add($"{where}: unknown kind {service.Kind}");
                        break;
                }
            }
        }
        return problems.Count == 0 ? years : throw new InvalidOperationException($"The payment rules are inconsistent: {string.Join("; ", problems)}.");
    }
}
