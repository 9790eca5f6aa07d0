using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Payments.Api.Domain;
using Platform.ServiceDefaults;

namespace Payments.Api.Apis;

/// <summary><c>GET /api/payments/rules?financialYear=2026/27</c>: how payments are worked out, so a practice can check its amount line by line.</summary>
public static class RulesApi
{
    public static Results<Ok<RulesView>, ProblemHttpResult> GetRules(RulesBook rules, IOptions<ApprovalOptions> approval, string? financialYear)
    {
        var years = rules.Years.Where(y => financialYear is null || y.FinancialYear == financialYear).ToList();
        if (years.Count == 0) return Problems.NotFound($"Payment rules for {financialYear}");
        return TypedResults.Ok(new RulesView(approval.Value.Threshold, approval.Value.DecisionWindow, years));
    }
}

/// <param name="ApprovalThreshold">Payments above this (GBP) wait for a commissioner, as do services whose rule says <c>requiresApproval</c>.</param>
public sealed record RulesView(decimal ApprovalThreshold, TimeSpan DecisionWindow, IReadOnlyList<PaymentRules> Years);
