using System.Text.Json;
using MassTransit.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Payments.Api.Apis;
using Payments.Api.Application;
using Payments.Domain.Tests;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Payments.Tests;

/// <summary>
/// The Payments service on <see cref="ServiceApiFactory{TProgram}"/>'s servers (a test may share the database and virtual host
/// between two replicas), with the posting job running (no retry delay, 3 attempts) and the reminder job off (tests run it).
/// </summary>
public sealed class PaymentsApiFactory : ServiceApiFactory<Program>
{
    public static readonly DateTimeOffset Today = PaymentsIn.Now;

    private readonly ILedger? ledger;
    private readonly Dictionary<string, string?> settings;

    private PaymentsApiFactory(string connectionString, Uri broker, ILedger? ledger, Dictionary<string, string?>? settings)
        : base("paymentsdb", connectionString, broker, Today)
    {
        this.ledger = ledger;
        this.settings = settings ?? [];
    }

    public static Task<Uri> NewVirtualHostAsync(MessagingServers servers) => servers.CreateVirtualHostAsync("payments");

    public static async Task<PaymentsApiFactory> CreateAsync(MessagingServers servers, ILedger? ledger = null,
        Dictionary<string, string?>? settings = null, string? connectionString = null, Uri? broker = null)
    {
        var factory = new PaymentsApiFactory(connectionString ?? await servers.CreateDatabaseAsync("payments"),
            broker ?? await NewVirtualHostAsync(servers), ledger, settings);
        await factory.StartAsync();
        return factory;
    }

    /// <summary>
    /// The outbox rows of one contract event type about one submission, read as the events they carry with MassTransit's JSON
    /// settings, as the outbox writes and dispatches them.
    /// </summary>
    public async Task<List<T>> EventsAsync<T>(Guid submissionId) where T : class
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE @type AND body->>'submissionId' = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("type", $"{typeof(T).FullName},%");
        command.Parameters.AddWithValue("id", submissionId.ToString());
        var events = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), SystemTextJsonMessageSerializer.Options)
                ?? throw new InvalidOperationException($"A {typeof(T).Name} outbox row with a null body."));
        }
        return events;
    }

    /// <summary>Waits (30 s at most) until <paramref name="until"/> holds for the payments of a submission, as a platform admin reads them.</summary>
    public async Task<List<PaymentView>> WaitForPayments(Guid submissionId, Func<List<PaymentView>, bool> until)
    {
        var admin = ClientFor(TestTokens.PlatformAdmin());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await admin.Get<PageOf<PaymentView>>($"/api/payments?submissionId={submissionId}");
            var payments = page.Items.ToList();
            if (until(payments)) return payments;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The payments of {submissionId} never got there: {JsonSerializer.Serialize(page, TestData.ApiJson)}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async Task<PaymentView> WaitForStatus(Guid submissionId, int version, string status) =>
        (await WaitForPayments(submissionId, ps => ps.Any(p => p.SubmissionVersion == version && p.Status == status)))
        .Single(p => p.SubmissionVersion == version);

    /// <summary>Waits until an event of the type about the submission is in the outbox.</summary>
    public async Task<List<T>> WaitForEvents<T>(Guid submissionId, int count = 1) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var events = await EventsAsync<T>(submissionId);
            if (events.Count >= count) return events;
            if (DateTime.UtcNow > deadline) Assert.Fail($"No {typeof(T).Name} for {submissionId}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Payments:Approval:RemindersEnabled", "false");
        builder.UseSetting("Payments:Ledger:FirstRetryDelay", "00:00:00");
        builder.UseSetting("Payments:Ledger:MaxAttempts", "3");
        builder.UseSetting("Payments:Ledger:PollInterval", "00:00:00.100");
        builder.UseSetting("Messaging:RetryIntervals:3", "00:00:01");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (ledger is not null) builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(ledger)));
    }
}

/// <summary>One Payments service per test class (tests keep apart by using practice codes of their own).</summary>
public sealed class SharedPayments(MessagingServers servers) : IAsyncLifetime
{
    public PaymentsApiFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Factory = await PaymentsApiFactory.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
