using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>
/// What a submission's messages cost the database, counted from Npgsql's own activities in the trace of each event: each
/// round trip is CPU on both ends, so the directory is read once per event and a batch of emails is recorded in one.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class RoundTripTests(NotificationsHost host)
{
    [Fact]
    public async Task A_remittance_reads_the_directory_once_and_records_its_emails_together_in_one_round_trip()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Round Trip Surgery");
        var submitter = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var submissionId = Guid.CreateVersion7();
        await host.Publish(new SubmissionAccepted(submissionId, 1, ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 10)], "ab12cd34",
            DateTimeOffset.UtcNow, submitter.UserId.ToString()));
        await host.MailAsync(submitter.Email, "Receipt: FLU 2026-10 submission for Round Trip Surgery");
        await host.WaitUntilAsync(db => db.Emails.AnyAsync(e => e.Recipient == submitter.Email && e.Kind == "submission-accepted" && e.SentAt != null));
        using var spans = EverySpan.Sampled(); // so the event's trace reaches the consumer's statements
        using var statements = new DatabaseStatements(host.Factory.ConnectionString);
        using var transactions = new CommittedTransactions();

        using var cause = new Activity("payment settled in Payments").SetIdFormat(ActivityIdFormat.W3C).Start();
        await host.Publish(new PaymentSettled(Guid.CreateVersion7(), submissionId, 1, ods, "FLU", "2026-10", 100.60m, "GBP",
            [new PaymentLine("FLU_65_PLUS", 10, 10.06m, 100.60m)], $"{ods}-R123456", DateTimeOffset.UtcNow));
        cause.Stop();
        await host.MailAsync(admin.Email, "£100.60");
        await host.MailAsync(submitter.Email, "£100.60");
        await host.WaitUntilAsync(db => db.Emails.CountAsync(e => e.Kind == "payment-settled"
            && (e.Recipient == submitter.Email || e.Recipient == admin.Email) && e.SentAt != null).ContinueWith(sent => sent.Result == 2, TaskScheduler.Default));

        var inTrace = statements.InTrace(cause.TraceId);
        var directory = Assert.Single(inTrace, text => text.Contains("recipients", StringComparison.Ordinal) || text.Contains("submitters", StringComparison.Ordinal));
        Assert.Contains("submitters", directory, StringComparison.Ordinal); // the submitter's id is read inside the one query
        Assert.DoesNotContain(inTrace, text => text.Contains("practices", StringComparison.Ordinal)); // named by the receipt: remembered
        // The two emails were queued by one event and leased together: their outcomes and attempts go in one round trip.
        var record = Assert.Single(statements.All, text => text.Contains("INSERT INTO email_attempts", StringComparison.Ordinal));
        Assert.Equal(2, Occurrences(record, "UPDATE outgoing_emails"));
        Assert.Equal(2, Occurrences(record, "INSERT INTO email_attempts"));
        Assert.Equal(0, transactions.InEmailJob()); // no BEGIN and COMMIT around the record
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task A_receipt_reads_the_practice_the_submitter_and_the_admins_in_one_query_and_saves_in_one_round_trip()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "One Read Surgery");
        var submitter = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        using var spans = EverySpan.Sampled();
        using var statements = new DatabaseStatements(host.Factory.ConnectionString);
        using var transactions = new CommittedTransactions();

        using var cause = new Activity("submission accepted in Submissions").SetIdFormat(ActivityIdFormat.W3C).Start();
        await host.Publish(new SubmissionAccepted(Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 10)], "ab12cd34",
            DateTimeOffset.UtcNow, submitter.UserId.ToString()));
        cause.Stop();
        await host.MailAsync(submitter.Email, "Receipt: FLU 2026-10 submission for One Read Surgery");

        var read = Assert.Single(statements.InTrace(cause.TraceId), text => text.StartsWith("SELECT", StringComparison.Ordinal));
        Assert.Contains("FROM practices", read, StringComparison.Ordinal);
        Assert.Contains("FROM submitters", read, StringComparison.Ordinal);
        // Then the inbox row, the submitter, the notice and the email in one batch: one implicit transaction, no BEGIN and COMMIT.
        var save = Assert.Single(statements.InTrace(cause.TraceId), text => !text.StartsWith("SELECT", StringComparison.Ordinal));
        Assert.Contains("INSERT INTO inbox_messages", save, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO outgoing_emails", save, StringComparison.Ordinal);
        Assert.Equal(0, transactions.InTrace(cause.TraceId));
        // The submitter is told, not the admins, who are read in the same query for a submitter the directory does not know.
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.False(await db.Emails.AnyAsync(e => e.Recipient == admin.Email && e.Kind == NotificationKinds.SubmissionAccepted, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_receipt_for_a_practice_the_directory_does_not_know_yet_names_its_ods_code_and_reaches_the_submitter()
    {
        var ods = NotificationsHost.NewOds(); // its registration has not arrived
        var submitter = await host.RegisterAsync("practice-user", ods);

        await host.Publish(new SubmissionAccepted(Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 10)], "ab12cd34",
            DateTimeOffset.UtcNow, submitter.UserId.ToString()));

        await host.MailAsync(submitter.Email, $"Receipt: FLU 2026-10 submission for {ods}");
    }

    [Fact]
    public async Task A_renamed_practice_is_named_anew_in_the_next_message()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Old Name Surgery");
        var admin = await host.RegisterAsync("practice-admin", ods);
        await host.Publish(Accepted(ods));
        await host.MailAsync(admin.Email, "for Old Name Surgery accepted");

        await host.Publish(new PracticeRegistered(ods, "New Name Surgery", "QWE", 5000, DateTimeOffset.UtcNow));
        await host.WaitUntilAsync(db => db.Practices.AnyAsync(p => p.Ods == ods && p.Name == "New Name Surgery"));
        await host.Publish(Accepted(ods));
        await host.MailAsync(admin.Email, "for New Name Surgery accepted");
    }

    private static SubmissionAccepted Accepted(string ods) => new(
        Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 10)], "ab12cd34", DateTimeOffset.UtcNow, "emis-feed-client");

    /// <summary>EF Core's committed transactions, with the span that was current: an explicit COMMIT is a round trip of its own.</summary>
    private sealed class CommittedTransactions : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable subscription;
        private readonly List<IDisposable> listeners = [];
        private readonly List<(ActivityTraceId Trace, string Span)> committed = [];

        public CommittedTransactions() => subscription = DiagnosticListener.AllListeners.Subscribe(this);

        public int InTrace(ActivityTraceId trace)
        {
            lock (committed) return committed.Count(c => c.Trace == trace);
        }

        public int InEmailJob()
        {
            lock (committed) return committed.Count(c => c.Span.StartsWith("email ", StringComparison.Ordinal));
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name != "Microsoft.EntityFrameworkCore") return;
            lock (listeners) listeners.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key.EndsWith("TransactionCommitted", StringComparison.Ordinal) && Activity.Current is { } span)
            {
                lock (committed) committed.Add((span.TraceId, span.OperationName));
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            subscription.Dispose();
            lock (listeners) listeners.ForEach(listener => listener.Dispose());
        }
    }
}
