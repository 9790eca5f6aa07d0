namespace Platform.Contracts.Submissions;

/// <summary>A practice's submission passed validation and was stored; Payments calculates it.</summary>
/// <param name="SubmittedBy">The user id or system client id that submitted it.</param>
/// <param name="Supersedes">The earlier version this one replaces, whose payment must be cancelled if not yet approved.</param>
/// <param name="FinancialYear">The catalogue year the period belongs to (for example 2026/27), whose payment rules apply.</param>
public sealed record SubmissionAccepted(
    Guid SubmissionId,
    int Version,
    string PracticeOds,
    string ServiceCode,
    string Period,
    IReadOnlyList<IndicatorValue> Values,
    string ContentSha256,
    DateTimeOffset AcceptedAt,
    string? SubmittedBy = null,
    int? Supersedes = null,
    string? FinancialYear = null);
