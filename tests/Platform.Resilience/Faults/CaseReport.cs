using System.Globalization;
using System.Text;

namespace Platform.Resilience.Faults;

/// <summary>What the checker concluded about one item or one effect.</summary>
public enum Verdict
{
    /// <summary>Every effect the item should have, exactly once.</summary>
    Delivered,

    /// <summary>An effect is missing: not terminal, not in the ledger, no email, no notice, a message stuck.</summary>
    Lost,

    /// <summary>An effect happened more than once: two ledger entries, two emails, two outcomes.</summary>
    Duplicated,

    /// <summary>Something nothing explains: a wrong outcome, an effect with no item, a message in an _error queue.</summary>
    Unexpected,
}

public sealed record Finding(Verdict Verdict, string Subject, string Detail)
{
    public override string ToString() => $"{Verdict.ToString().ToLowerInvariant()}: {Subject}: {Detail}";
}

/// <summary>The checker's account of one fault case: every item classified, every finding, and the figures for docs/resilience.md.</summary>
public sealed class CaseReport(string name)
{
    public string Name { get; } = name;

    public List<Finding> Findings { get; } = [];

    /// <summary>Each item (submission item or credential warning) with its worst verdict.</summary>
    public Dictionary<string, Verdict> Items { get; } = new(StringComparer.Ordinal);

    public int Submissions { get; set; }

    public int Versions { get; set; }

    public int Warnings { get; set; }

    /// <summary>When the fault began: versions accepted but not yet terminal, and submissions not sent yet (sent into the fault).</summary>
    public string InFlightAtFault { get; set; } = "";

    public int LedgerEntries { get; set; }

    public int RemittanceEmails { get; set; }

    public int Receipts { get; set; }

    public int WarningEmails { get; set; }

    public int InAppNotices { get; set; }

    /// <summary>Emails the platform sent as smtp4dev was being stopped that smtp4dev lost (see <see cref="MailLostBySmtp4dev"/>).</summary>
    public int LostBySmtp4dev { get; set; }

    public IReadOnlyDictionary<string, int> Answers { get; set; } = new Dictionary<string, int>();

    public TimeSpan Duration { get; set; }

    public TimeSpan SettledAfterFault { get; set; }

    public string Fault { get; set; } = "";

    public int Count(Verdict verdict) => Findings.Count(f => f.Verdict == verdict);

    public int ItemsWith(Verdict verdict) => Items.Values.Count(v => v == verdict);

    public bool Passed => Findings.Count == 0;

    public void Add(Verdict verdict, string item, string subject, string detail)
    {
        Findings.Add(new Finding(verdict, subject, detail));
        Items[item] = Items.TryGetValue(item, out var worst) && worst > verdict ? worst : verdict;
    }

    public void Add(Verdict verdict, string subject, string detail) => Findings.Add(new Finding(verdict, subject, detail));

    public void Delivered(string item) => Items.TryAdd(item, Verdict.Delivered);

    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Name}: {Fault}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  in flight: {Submissions} submissions ({Versions} versions), {Warnings} credential warnings; when the fault began: {InFlightAtFault}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  items: {ItemsWith(Verdict.Delivered)} delivered, {ItemsWith(Verdict.Lost)} lost, {ItemsWith(Verdict.Duplicated)} duplicated, {ItemsWith(Verdict.Unexpected)} unexpected");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  findings: {Count(Verdict.Lost)} lost, {Count(Verdict.Duplicated)} duplicated, {Count(Verdict.Unexpected)} unexpected");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  effects: {LedgerEntries} ledger entries, {RemittanceEmails} remittance emails, {Receipts} receipts, {WarningEmails} warning emails, {InAppNotices} in-app warnings");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  answers seen by clients: {string.Join(", ", Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} x{a.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  settled {SettledAfterFault.TotalSeconds:0.0} s after the fault ended; case took {Duration.TotalSeconds:0} s");
        if (LostBySmtp4dev > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {LostBySmtp4dev} emails accepted by smtp4dev as it was stopped are not in its mailbox (it stores a message after its 250): counted from the platform's record of the send");
        }

        foreach (var finding in Findings) text.AppendLine(CultureInfo.InvariantCulture, $"  - {finding}");
        return text.ToString();
    }
}
