using System.Text;
using System.Text.Json;

namespace Platform.Cli;

/// <summary>
/// <c>status --follow</c>: the submission's server-sent events, the timeline so far, then each change until a final status.
/// Payments' events reach Submissions on separate queues, so an intermediate step (<c>calculated</c>, <c>approved</c>) can be
/// recorded after <c>paid</c>; the stream ends at the terminal status and never sends it. So after a terminal status the
/// submission is read once more and every step not yet shown is printed, in time order.
/// </summary>
public static class SubmissionFollow
{
    private static readonly string[] TerminalStatuses = ["paid", "rejected", "declined", "payment-failed", "superseded"];

    public static async Task<string?> RunAsync(GatewaySession session, Guid id, bool json, CancellationToken ct)
    {
        string? last = null;
        var shown = new HashSet<(string?, long)>();
        using (var response = await session.StreamAsync($"/api/submissions/{id}/events", ct))
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct)))
        {
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(5).TrimStart());
                    continue;
                }
                if (line.Length != 0 || data.Length == 0) continue;
                var change = JsonSerializer.Deserialize<StatusChange>(data.ToString(), JsonSerializerOptions.Web)!;
                Console.WriteLine(json ? data.ToString() : Line(change));
                shown.Add(Key(change));
                data.Clear();
                last = change.Status;
            }
        }
        if (last is not null && TerminalStatuses.Contains(last)) await PrintLateStepsAsync(session, id, json, shown, ct);
        return last;
    }

    private static async Task PrintLateStepsAsync(GatewaySession session, Guid id, bool json, HashSet<(string?, long)> shown, CancellationToken ct)
    {
        var submission = await session.Api.Submissions.Api.Submissions[id].GetAsync(cancellationToken: ct);
        var late = (submission?.Timeline ?? [])
            .Select(entry => new StatusChange(id, entry.Status, entry.At, entry.Detail, entry.TraceId))
            .Where(change => !shown.Contains(Key(change)))
            .OrderBy(change => change.At);
        foreach (var change in late)
        {
            Console.WriteLine(json ? JsonSerializer.Serialize(change, JsonSerializerOptions.Web) : Line(change));
        }
    }

    private static string Line(StatusChange change) => $"{change.At:yyyy-MM-dd HH:mm:ss}  {change.Status,-18} {change.Detail}";

    /// <summary>A step is the same step when its status and time (to the millisecond) are.</summary>
    private static (string?, long) Key(StatusChange change) => (change.Status, (change.At?.UtcTicks ?? 0) / TimeSpan.TicksPerMillisecond);

    private sealed record StatusChange(Guid? SubmissionId, string? Status, DateTimeOffset? At, string? Detail, string? TraceId);
}
