using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Faults;

/// <summary>What happens to one slot during a case: a single submission, an amendment right behind it, or a QOF one a commissioner decides.</summary>
public enum ItemKind
{
    Single,
    Amended,
    Approved,
    Declined,
}

public sealed record AcceptedVersion(Guid Id, int Version);

/// <summary>One submission item of a case: its slot, what is done to it, and the versions the platform accepted (by receipt).</summary>
public sealed class SubmissionItem(Slot slot, ItemKind kind)
{
    private readonly List<AcceptedVersion> versions = [];

    public Slot Slot { get; } = slot;

    public ItemKind Kind { get; } = kind;

    /// <summary>Why the client gave up on a step (an answer a real client would not retry), if it did.</summary>
    public string? Refused { get; set; }

    /// <summary>When the first version was first sent.</summary>
    public DateTimeOffset? FirstSentAt { get; set; }

    /// <summary>The amendment was refused at once because the first version was already paid (409 submission_locked).</summary>
    public bool AmendmentLocked { get; set; }

    public IReadOnlyList<AcceptedVersion> Versions
    {
        get
        {
            lock (versions) return [.. versions];
        }
    }

    public void Accepted(AcceptedVersion version)
    {
        lock (versions) versions.Add(version);
    }

    public override string ToString() => $"{Kind} {Slot}";
}

/// <summary>
/// A bounded load of submissions, sent by each practice's system client as a client app would: every POST carries an
/// Idempotency-Key and is sent again with the same key after a 5xx, a 429 or a broken connection, until it is accepted.
/// Amendments follow their first version at once; QOF items are approved or declined by the commissioner as soon as they wait.
/// </summary>
public sealed class CaseLoad
{
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(4);
    private readonly ResiliencePlatform platform;
    private readonly Tenants tenants;
    private readonly TaskCompletionSource inFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> answers = new(StringComparer.Ordinal);
    private int accepted;
    private Task? running;

    private CaseLoad(ResiliencePlatform platform, Tenants tenants, IReadOnlyList<SubmissionItem> items)
    {
        this.platform = platform;
        this.tenants = tenants;
        Items = items;
    }

    public IReadOnlyList<SubmissionItem> Items { get; }

    /// <summary>Every answer the clients met, by status (or "connection failed"), e.g. 202 x 11, 503 x 2.</summary>
    public IReadOnlyDictionary<string, int> Answers => answers;

    /// <summary>Completes once a few submissions are accepted, so a fault lands while the rest are in flight.</summary>
    public Task InFlight => inFlight.Task;

    public static CaseLoad Plan(ResiliencePlatform platform, Tenants tenants, int singles, int amended, int approvals)
    {
        var items = new List<SubmissionItem>();
        for (var i = 0; i < approvals; i++) items.Add(new SubmissionItem(tenants.Slots.TakeApproval(), i % 2 == 0 ? ItemKind.Approved : ItemKind.Declined));
        for (var i = 0; i < amended; i++) items.Add(new SubmissionItem(tenants.Slots.TakeItem(), ItemKind.Amended));
        for (var i = 0; i < singles; i++) items.Add(new SubmissionItem(tenants.Slots.TakeItem(), ItemKind.Single));
        return new CaseLoad(platform, tenants, items);
    }

    /// <summary>Starts sending, one item every <paramref name="spacing"/>; <see cref="InFlight"/> completes after the first few receipts.</summary>
    public void Start(TimeSpan spacing, CancellationToken cancellationToken) =>
        running = Task.WhenAll(Items.Select((item, index) => RunAsync(item, spacing * index, cancellationToken)));

    public Task Completion => running ?? throw new InvalidOperationException("The load has not started.");

    private async Task RunAsync(SubmissionItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            var client = item.Slot.Practice.System;
            item.FirstSentAt = DateTimeOffset.UtcNow;
            var first = await SubmitAsync(client, item, item.Slot.Body(Value(item, 1)), cancellationToken);
            if (first is null) return;
            if (Interlocked.Increment(ref accepted) >= Math.Min(3, Items.Count)) inFlight.TrySetResult();

            if (item.Kind == ItemKind.Amended)
            {
                await SubmitAsync(client, item, item.Slot.Body(Value(item, 2)), cancellationToken);
            }
            else if (item.Kind is ItemKind.Approved or ItemKind.Declined)
            {
                await DecideAsync(item, first, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            item.Refused ??= $"the client failed: {exception.Message}";
        }
        finally
        {
            if (Volatile.Read(ref accepted) == 0 && Items.All(i => i.Refused is not null)) inFlight.TrySetResult();
        }
    }

    /// <summary>
    /// Small counts, different for each version: at most 26 items, so even the dearest item fee (an LDHC health check, £140)
    /// stays below the £5,000 approval threshold and item payments are made without a commissioner.
    /// </summary>
    private static decimal Value(SubmissionItem item, int version) =>
        item.Slot.NeedsApproval ? Math.Min(item.Slot.Maximum, 3 + version) : 5 + version + (Math.Abs(item.Slot.GetHashCode()) % 20);

    private async Task<AcceptedVersion?> SubmitAsync(ApiClient client, SubmissionItem item, object body, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid().ToString();
        var (status, answer) = await UntilAnsweredAsync(() => client.PostJsonAsync("/api/submissions", body, cancellationToken, key), cancellationToken);
        if (status == HttpStatusCode.Accepted)
        {
            var receipt = answer.Read<SubmissionReceipt>();
            var version = new AcceptedVersion(receipt.Id, receipt.Version);
            item.Accepted(version);
            return version;
        }

        if (item.Kind == ItemKind.Amended && item.Versions.Count == 1 && status == HttpStatusCode.Conflict && answer.Code == "submission_locked")
        {
            item.AmendmentLocked = true; // the first version was paid before the amendment arrived: refusing it is right
            return null;
        }

        item.Refused ??= $"submitting answered {(int)status}: {answer}";
        return null;
    }

    private async Task DecideAsync(SubmissionItem item, AcceptedVersion version, CancellationToken cancellationToken)
    {
        var paymentId = await WaitForAwaitingApprovalAsync(version, cancellationToken);
        var approve = item.Kind == ItemKind.Approved;
        object decision = approve
            ? new { decision = "approve", reason = "Checked against the practice's records." }
            : new { decision = "decline", reason = "The achievement does not match the register." };
        var (status, answer) = await UntilAnsweredAsync(
            () => tenants.Commissioner.PostJsonAsync($"/api/payments/{paymentId}/decision", decision, cancellationToken), cancellationToken);
        if (status != HttpStatusCode.OK) item.Refused ??= $"the commissioner's decision answered {(int)status}: {answer}";
    }

    /// <summary>The payment of a version once it waits for a commissioner (read from the payments database, as the queue would show it).</summary>
    private async Task<Guid> WaitForAwaitingApprovalAsync(AcceptedVersion version, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StepDeadline;
        while (true)
        {
            try
            {
                await using var command = platform.Database("paymentsdb").CreateCommand(
                    "SELECT id FROM payments WHERE submission_id = @id AND submission_version = @version AND status = 'awaiting-approval'");
                command.Parameters.AddWithValue("id", version.Id);
                command.Parameters.AddWithValue("version", version.Version);
                if (await command.ExecuteScalarAsync(cancellationToken) is Guid id) return id;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // The database may be the fault of this case.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Submission {version.Id} v{version.Version} never waited for approval.");
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>Sends until the answer is one a client would not retry: anything but 5xx, 429 or a broken connection.</summary>
    private async Task<(HttpStatusCode Status, ApiBody Body)> UntilAnsweredAsync(
        Func<Task<(HttpStatusCode Status, ApiBody Body)>> send, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StepDeadline;
        while (true)
        {
            try
            {
                var (status, body) = await send();
                answers.AddOrUpdate(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if ((int)status < 500 && status != HttpStatusCode.TooManyRequests) return (status, body);
                if (DateTime.UtcNow > deadline) return (status, body);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answers.AddOrUpdate("connection failed", 1, (_, n) => n + 1);
                if (DateTime.UtcNow > deadline) throw;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
