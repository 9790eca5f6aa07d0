using System.Diagnostics;
using Npgsql;
using Platform.Resilience.Running;
using Platform.Testing;

namespace Platform.Resilience.Faults;

/// <summary>
/// Reads what the platform did for a case's items from the services' own databases, smtp4dev and RabbitMQ, and classifies
/// every item as delivered, lost, duplicated or unexpected:
/// every submission version terminal with exactly one outcome; exactly one ledger entry per paid version (none otherwise);
/// exactly one remittance email per ledger entry and one receipt per accepted version; for every credential warning
/// exactly one recorded notice, one email and one in-app notice to its owner (and to the practice admin from 7 days);
/// and, across the platform, nothing left unsent in an outbox or an email queue, no ledger entry or remittance that no
/// item explains, and no new message in an <c>_error</c> or <c>_skipped</c> queue.
/// </summary>
public sealed class OutcomeChecker(ResiliencePlatform platform)
{
    private static readonly string[] Terminal = ["paid", "rejected", "declined", "payment-failed", "superseded"];

    /// <summary>Messages in the error and skipped queues now, by queue: the baseline a case compares against.</summary>
    public async Task<Dictionary<string, long>> DeadLettersAsync(CancellationToken cancellationToken)
    {
        var listing = await platform.RabbitMqCtlAsync(["list_queues", "--quiet", "--no-table-headers", "name", "messages"], cancellationToken);
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && (parts[0].EndsWith("_error", StringComparison.Ordinal) || parts[0].EndsWith("_skipped", StringComparison.Ordinal)))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Waits (up to a minute) until every queue but the _error and _skipped ones is empty twice in a row.</summary>
    private async Task WaitForEmptyQueuesAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var emptyInARow = 0;
        while (emptyInARow < 2 && DateTime.UtcNow < deadline)
        {
            var listing = await platform.RabbitMqCtlAsync(["list_queues", "--quiet", "--no-table-headers", "name", "messages"], cancellationToken);
            var busy = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
                .Any(parts => parts.Length == 2 && !parts[0].EndsWith("_error", StringComparison.Ordinal)
                    && !parts[0].EndsWith("_skipped", StringComparison.Ordinal) && parts[1] != "0");
            emptyInARow = busy ? 0 : emptyInARow + 1;
            await Task.Delay(1000, cancellationToken);
        }
    }

    /// <summary>
    /// Checks again and again until nothing is missing (then once more when the broker is quiet, so a late duplicate is seen),
    /// or until <paramref name="timeout"/>; returns the last report.
    /// </summary>
    public async Task<CaseReport> SettleAsync(string name, CaseLoad load, IReadOnlyList<WarningItem> warnings, DateTimeOffset since,
        IReadOnlyDictionary<string, long> deadLetterBaseline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var lastNote = TimeSpan.Zero;
        CaseReport? report = null;
        while (true)
        {
            try
            {
                report = await CheckAsync(name, load, warnings, since, deadLetterBaseline, cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or HttpRequestException or TaskCanceledException or InvalidOperationException
                && !cancellationToken.IsCancellationRequested && watch.Elapsed < timeout)
            {
                await Task.Delay(1000, cancellationToken); // a server is still coming back
                continue;
            }

            if (report.Count(Verdict.Lost) == 0 || watch.Elapsed > timeout) break;
            if (watch.Elapsed - lastNote > TimeSpan.FromSeconds(15))
            {
                lastNote = watch.Elapsed;
                Running.RunLog.Write($"  {name}: still waiting after {watch.Elapsed.TotalSeconds:0} s for {report.Count(Verdict.Lost)} effects, e.g. " +
                    string.Join(" | ", report.Findings.Where(f => f.Verdict == Verdict.Lost).Take(3)));
            }

            await Task.Delay(1000, cancellationToken);
        }

        report.SettledAfterFault = watch.Elapsed;
        if (report.Count(Verdict.Lost) == 0)
        {
            // A redelivery that fails is retried in the consumer for about ten seconds before it reaches an _error queue:
            // wait until no queue holds a message (ready or being handled), then look once more.
            await WaitForEmptyQueuesAsync(cancellationToken);
            var settled = report.SettledAfterFault;
            report = await CheckAsync(name, load, warnings, since, deadLetterBaseline, cancellationToken);
            report.SettledAfterFault = settled;
        }

        return report;
    }

    private async Task<CaseReport> CheckAsync(string name, CaseLoad load, IReadOnlyList<WarningItem> warnings, DateTimeOffset since,
        IReadOnlyDictionary<string, long> deadLetterBaseline, CancellationToken cancellationToken)
    {
        var report = new CaseReport(name) { Submissions = load.Items.Count, Warnings = warnings.Count, Answers = load.Answers };
        using var mailbox = platform.Mailbox();
        var received = await mailbox.GetMessagesAsync(cancellationToken);
        var lostBySmtp4dev = platform.Stops.Any(stop => stop.Resource == "smtp4dev" && stop.Stopped >= since)
            ? MailLostBySmtp4dev.StandIns(received, await SentSinceAsync(since, cancellationToken), platform.Stops, since)
            : [];
        report.LostBySmtp4dev = lostBySmtp4dev.Count;
        IReadOnlyList<Smtp4devMailbox.ReceivedMessage> mail = [.. received, .. lostBySmtp4dev];
        var versions = load.Items.SelectMany(item => item.Versions).ToList();
        report.Versions = versions.Count;
        var ids = versions.Select(v => v.Id).Distinct().ToArray();

        var statuses = await QueryAsync(platform.Database("submissionsdb"),
            "SELECT id, version, status FROM submissions WHERE id = ANY(@ids)",
            r => (Id: r.GetGuid(0), Version: r.GetInt32(1), Status: r.GetString(2)), cancellationToken, ("ids", ids));
        var outcomes = await QueryAsync(platform.Database("submissionsdb"),
            "SELECT submission_id, count(*) FROM timeline_entries WHERE submission_id = ANY(@ids) AND status = ANY(@terminal) GROUP BY submission_id",
            r => (Id: r.GetGuid(0), Count: r.GetInt64(1)), cancellationToken, ("ids", ids), ("terminal", Terminal));
        var ledger = await QueryAsync(platform.Database("paymentsdb"),
            "SELECT submission_id, submission_version, remittance_reference FROM ledger_entries WHERE submission_id = ANY(@ids)",
            r => (Id: r.GetGuid(0), Version: r.GetInt32(1), Reference: r.GetString(2)), cancellationToken, ("ids", ids));
        report.LedgerEntries = ledger.Count;

        foreach (var item in load.Items)
        {
            CheckSubmission(report, item, statuses, outcomes, ledger, mail);
        }

        foreach (var warning in warnings)
        {
            await CheckWarningAsync(report, warning, since, mail, cancellationToken);
        }

        await CheckPlatformAsync(report, ids, since, mail, deadLetterBaseline, cancellationToken);
        return report;
    }

    private static void CheckSubmission(CaseReport report, SubmissionItem item,
        List<(Guid Id, int Version, string Status)> statuses, List<(Guid Id, long Count)> outcomes,
        List<(Guid Id, int Version, string Reference)> ledger, IReadOnlyList<Smtp4devMailbox.ReceivedMessage> mail)
    {
        var key = item.ToString();
        var practice = item.Slot.Practice;
        if (item.Refused is { } refused)
        {
            var gaveUp = refused.Contains("answered 5", StringComparison.Ordinal) || refused.Contains("client failed", StringComparison.Ordinal);
            report.Add(gaveUp ? Verdict.Lost : Verdict.Unexpected, key, key, refused);
        }

        var seen = new List<string>();
        foreach (var version in item.Versions)
        {
            var label = $"{key} v{version.Version}";
            var status = statuses.Where(s => s.Id == version.Id).Select(s => s.Status).FirstOrDefault();
            seen.Add(status ?? "missing");
            if (status is null)
            {
                report.Add(Verdict.Lost, key, label, "the receipt's submission is not in the submissions database");
                continue;
            }

            if (!Terminal.Contains(status)) report.Add(Verdict.Lost, key, label, $"still {status}");
            var terminalSteps = outcomes.Where(o => o.Id == version.Id).Sum(o => o.Count);
            if (terminalSteps > 1) report.Add(Verdict.Duplicated, key, label, $"{terminalSteps} outcomes on its timeline");

            var entries = ledger.Where(e => e.Id == version.Id && e.Version == version.Version).ToList();
            var expected = status == "paid" ? 1 : 0;
            if (entries.Count > expected) report.Add(expected == 0 ? Verdict.Unexpected : Verdict.Duplicated, key, label, $"{entries.Count} ledger entries while {status}");
            if (entries.Count < expected) report.Add(Verdict.Lost, key, label, "paid, but no ledger entry");

            foreach (var entry in entries)
            {
                var withReference = mail.Where(m => m.Subject.Contains($"(ref {entry.Reference})", StringComparison.Ordinal)).ToList();
                var toAdmin = withReference.Count(m => SentTo(m, practice.AdminEmail));
                report.RemittanceEmails += toAdmin;
                if (toAdmin == 0) report.Add(Verdict.Lost, key, label, $"no remittance email for {entry.Reference}");
                if (toAdmin > 1) report.Add(Verdict.Duplicated, key, label, $"{toAdmin} remittance emails for {entry.Reference}");
                if (withReference.Count > toAdmin) report.Add(Verdict.Unexpected, key, label, $"remittance {entry.Reference} also went to {string.Join(", ", withReference.SelectMany(m => m.To))}");
            }
        }

        // One receipt per accepted version, to the practice's admin (a system client submitted, so nobody else is told).
        var receiptSubject = $"Receipt: {item.Slot.ServiceCode} {item.Slot.Period} submission for {practice.Name} accepted";
        var receipts = mail.Count(m => m.Subject == receiptSubject && SentTo(m, practice.AdminEmail));
        report.Receipts += receipts;
        if (receipts < item.Versions.Count) report.Add(Verdict.Lost, key, key, $"{receipts} receipts for {item.Versions.Count} accepted versions");
        if (receipts > item.Versions.Count) report.Add(Verdict.Duplicated, key, key, $"{receipts} receipts for {item.Versions.Count} accepted versions");

        if (seen.All(status => Terminal.Contains(status)) && !Allowed(item, seen))
        {
            report.Add(Verdict.Unexpected, key, key, $"ended {string.Join(" / ", seen)}");
        }

        report.Delivered(key);
    }

    /// <summary>The outcomes each kind of item may end in: exactly one paid version, or declined.</summary>
    private static bool Allowed(SubmissionItem item, List<string> statuses) => item.Kind switch
    {
        ItemKind.Single or ItemKind.Approved => statuses is ["paid"],
        ItemKind.Declined => statuses is ["declined"],
        ItemKind.Amended when item.AmendmentLocked => statuses is ["paid"],
        ItemKind.Amended => statuses is ["superseded", "paid"] or ["paid", "rejected"],
        _ => false,
    };

    private async Task CheckWarningAsync(CaseReport report, WarningItem warning, DateTimeOffset since,
        IReadOnlyList<Smtp4devMailbox.ReceivedMessage> mail, CancellationToken cancellationToken)
    {
        var key = warning.ToString();
        var user = warning.User;
        var recorded = await QueryAsync(platform.Database("identitydb"),
            "SELECT threshold_days FROM credential_notices WHERE kind = 'password' AND credential_id = ANY(@ids) AND recorded_at >= @since",
            r => r.GetInt32(0), cancellationToken, ("ids", new[] { user.Id }), ("since", since));
        if (recorded.Count == 0) report.Add(Verdict.Lost, key, key, "no notice recorded by the expiry scanner");
        if (recorded.Count > 1) report.Add(Verdict.Duplicated, key, key, $"{recorded.Count} notices recorded ({string.Join(", ", recorded)} days)");
        if (recorded.Count == 1 && recorded[0] != warning.ThresholdDays) report.Add(Verdict.Unexpected, key, key, $"recorded as the {recorded[0]}-day notice");

        var owner = mail.Count(m => SentTo(m, user.Email) && m.Subject.StartsWith("Your password", StringComparison.Ordinal) && m.ReceivedDate >= since);
        var admin = mail.Count(m => SentTo(m, user.Practice.AdminEmail)
            && m.Subject.StartsWith($"{user.DisplayName}'s password", StringComparison.Ordinal) && m.ReceivedDate >= since);
        report.WarningEmails += owner + admin;
        Expect(report, key, "warning emails to the owner", owner, 1);
        Expect(report, key, "warning emails to the practice admin", admin, warning.TellsAdmins ? 1 : 0);

        var notices = await QueryAsync(platform.Database("notificationsdb"),
            "SELECT recipient_user_id, title FROM notices WHERE kind IN ('credential-expiring', 'credential-expired') AND recipient_user_id = ANY(@ids) AND created_at >= @since",
            r => (User: r.GetGuid(0), Title: r.GetString(1)), cancellationToken, ("ids", new[] { user.Id, user.Practice.AdminUserId }), ("since", since));
        var ownerNotices = notices.Count(n => n.User == user.Id);
        var adminNotices = notices.Count(n => n.User == user.Practice.AdminUserId && n.Title.StartsWith($"{user.DisplayName}'s password", StringComparison.Ordinal));
        report.InAppNotices += ownerNotices + adminNotices;
        Expect(report, key, "in-app warnings to the owner", ownerNotices, 1);
        Expect(report, key, "in-app warnings to the practice admin", adminNotices, warning.TellsAdmins ? 1 : 0);
        report.Delivered(key);
    }

    private static void Expect(CaseReport report, string key, string what, int actual, int expected)
    {
        if (actual == expected) return;
        var verdict = actual < expected ? Verdict.Lost : expected == 0 ? Verdict.Unexpected : Verdict.Duplicated;
        report.Add(verdict, key, key, $"{actual} {what} (expected {expected})");
    }

    private async Task CheckPlatformAsync(CaseReport report, Guid[] ids, DateTimeOffset since, IReadOnlyList<Smtp4devMailbox.ReceivedMessage> mail,
        IReadOnlyDictionary<string, long> deadLetterBaseline, CancellationToken cancellationToken)
    {
        // Ledger entries and remittance advice that no item of this case explains.
        var strangers = await QueryAsync(platform.Database("paymentsdb"),
            "SELECT practice_ods, service_code, period, remittance_reference FROM ledger_entries WHERE posted_at >= @since AND NOT (submission_id = ANY(@ids))",
            r => $"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)} ({r.GetString(3)})", cancellationToken, ("ids", ids), ("since", since));
        foreach (var stranger in strangers) report.Add(Verdict.Unexpected, "ledger", $"a ledger entry for {stranger}, which this case did not submit");

        var references = (await QueryAsync(platform.Database("paymentsdb"), "SELECT remittance_reference FROM ledger_entries",
            r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        // Remittance advice reads "Payment of £X made for SERVICE PERIOD (ref REFERENCE)".
        foreach (var message in mail.Where(m => m.ReceivedDate >= since && m.Subject.StartsWith("Payment of ", StringComparison.Ordinal)
            && m.Subject.Contains(" made for ", StringComparison.Ordinal)))
        {
            var reference = message.Subject.Split("(ref ").LastOrDefault()?.TrimEnd(')');
            if (reference is null || !references.Contains(reference))
            {
                report.Add(Verdict.Unexpected, "mail", $"remittance email \"{message.Subject}\" matches no ledger entry");
            }
        }

        // Nothing stuck: every outbox row published, every email sent.
        foreach (var database in ResiliencePlatform.Databases)
        {
            var unsent = await QueryAsync(platform.Database(database),
                "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", r => r.GetInt64(0), cancellationToken);
            if (unsent[0] > 0) report.Add(Verdict.Lost, database, $"{unsent[0]} outbox messages not published");
        }

        var unsentMail = await QueryAsync(platform.Database("notificationsdb"),
            "SELECT kind, recipient, status, coalesce(last_error, '') FROM outgoing_emails WHERE created_at >= @since AND status <> 'sent'",
            r => $"{r.GetString(0)} to {r.GetString(1)} is {r.GetString(2)} {r.GetString(3)}", cancellationToken, ("since", since));
        foreach (var email in unsentMail) report.Add(Verdict.Lost, "notificationsdb", $"email {email}");

        foreach (var (queue, messages) in await DeadLettersAsync(cancellationToken))
        {
            var added = messages - deadLetterBaseline.GetValueOrDefault(queue);
            if (added > 0) report.Add(Verdict.Unexpected, queue, $"{added} messages moved there during the case");
        }
    }

    /// <summary>The emails the platform recorded as accepted by the relay since the case began.</summary>
    private Task<List<MailLostBySmtp4dev.SentEmail>> SentSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync(platform.Database("notificationsdb"),
            "SELECT recipient, subject, sent_at FROM outgoing_emails WHERE status = 'sent' AND sent_at >= @since",
            r => new MailLostBySmtp4dev.SentEmail(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)), cancellationToken, ("since", since));

    private static bool SentTo(Smtp4devMailbox.ReceivedMessage message, string address) =>
        message.To.Any(to => to.Contains(address, StringComparison.OrdinalIgnoreCase));

    private static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource database, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var (parameterName, value) in parameters) command.Parameters.AddWithValue(parameterName, value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }
}
