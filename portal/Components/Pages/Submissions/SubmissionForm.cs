namespace Portal.Components.Pages.Submissions;

/// <summary>What the submission form posts: the service, the period and one value per indicator (as typed).</summary>
public sealed class SubmissionForm
{
    public string? ServiceCode { get; set; }
    public string? Period { get; set; }
    public string? IdempotencyKey { get; set; }
    public Dictionary<string, string?> Values { get; set; } = [];

    public string? ValueOf(string indicator) => Values.TryGetValue(indicator, out var value) ? value : null;
}
