using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Payments.Api.Ledger;
using Platform.Testing;

namespace Payments.Tests;

/// <summary>
/// The Payments service on real PostgreSQL and RabbitMQ, with its own database and RabbitMQ virtual host (unless a test shares them
/// between two replicas), a fake clock at <see cref="Today"/>, JWTs from <see cref="TestTokens"/>, the posting job running
/// (no retry delay, 3 attempts) and the reminder job off (tests run it).
/// </summary>
public sealed class PaymentsApiFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Today = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly Uri broker;
    private readonly ILedger? ledger;
    private readonly Dictionary<string, string?> settings;

    private PaymentsApiFactory(string connectionString, Uri broker, ILedger? ledger, Dictionary<string, string?>? settings)
    {
        ConnectionString = connectionString;
        this.broker = broker;
        this.ledger = ledger;
        this.settings = settings ?? [];
    }

    public string ConnectionString { get; }

    public Uri Broker => broker;

    public FakeTimeProvider Time { get; } = new(Today);

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<Uri> NewVirtualHostAsync(MessagingServers servers)
    {
        var vhost = $"payments-{Guid.NewGuid():N}";
        await servers.RabbitMq.CtlAsync("add_vhost", vhost);
        await servers.RabbitMq.CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return new Uri(servers.RabbitMq.AmqpUri, vhost);
    }

    public static async Task<PaymentsApiFactory> CreateAsync(MessagingServers servers, ILedger? ledger = null,
        Dictionary<string, string?>? settings = null, string? connectionString = null, Uri? broker = null)
    {
        var factory = new PaymentsApiFactory(connectionString ?? await servers.CreateDatabaseAsync("payments"),
            broker ?? await NewVirtualHostAsync(servers), ledger, settings);
        _ = factory.Server; // start the host: its consumers bind their queues
        await factory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return factory;
    }

    public HttpClient ClientFor(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bodies of the outbox rows of one event type (short name, e.g. PaymentSettled) about one submission.</summary>
    public async Task<List<JsonElement>> EventsAsync(string type, Guid submissionId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE @type AND body->>'submissionId' = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("type", $"Platform.Contracts.%.{type},%");
        command.Parameters.AddWithValue("id", submissionId.ToString());
        var bodies = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) bodies.Add(JsonDocument.Parse(reader.GetString(0)).RootElement);
        return bodies;
    }

    /// <summary>Waits (30 s at most) until <paramref name="until"/> holds for the payments of a submission, as a platform admin reads them.</summary>
    public async Task<List<JsonElement>> WaitForPayments(Guid submissionId, Func<List<JsonElement>, bool> until)
    {
        var admin = ClientFor(TestTokens.PlatformAdmin());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/payments?submissionId={submissionId}", TestContext.Current.CancellationToken);
            var payments = page.EnumerateArray().ToList();
            if (until(payments)) return payments;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The payments of {submissionId} never got there: {page}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async Task<JsonElement> WaitForStatus(Guid submissionId, int version, string status) =>
        (await WaitForPayments(submissionId, ps => ps.Any(p => p.GetProperty("submissionVersion").GetInt32() == version && p.GetProperty("status").GetString() == status)))
        .Single(p => p.GetProperty("submissionVersion").GetInt32() == version);

    /// <summary>Waits until an event of the type about the submission is in the outbox.</summary>
    public async Task<List<JsonElement>> WaitForEvents(string type, Guid submissionId, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var events = await EventsAsync(type, submissionId);
            if (events.Count >= count) return events;
            if (DateTime.UtcNow > deadline) Assert.Fail($"No {type} for {submissionId}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:paymentsdb", ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", broker.ToString());
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting("Payments:Approval:RemindersEnabled", "false");
        builder.UseSetting("Payments:Ledger:FirstRetryDelay", "00:00:00");
        builder.UseSetting("Payments:Ledger:MaxAttempts", "3");
        builder.UseSetting("Payments:Ledger:PollInterval", "00:00:00.100");
        builder.UseSetting("Messaging:RetryIntervals:0", "00:00:00.050");
        builder.UseSetting("Messaging:RetryIntervals:1", "00:00:00.200");
        builder.UseSetting("Messaging:RetryIntervals:2", "00:00:00.500");
        builder.UseSetting("Messaging:RetryIntervals:3", "00:00:01");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            if (ledger is not null) services.Replace(ServiceDescriptor.Singleton(ledger));
            TestTokens.TrustTestKey(services);
        });
    }
}

/// <summary>One Payments service per test class (tests keep apart by using practice codes of their own).</summary>
public sealed class SharedPayments(MessagingServers servers) : IAsyncLifetime
{
    public PaymentsApiFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Factory = await PaymentsApiFactory.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
