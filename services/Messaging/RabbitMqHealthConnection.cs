using RabbitMQ.Client;

namespace Platform.Messaging;

/// <summary>
/// The one long-lived connection the RabbitMQ health check opens channels on (the check asks for a connection each time;
/// a new one per check would churn connections). Created on first use, so start-up does not wait for the broker.
/// </summary>
internal sealed class RabbitMqHealthConnection(Uri uri, string serviceName) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    public async Task<IConnection> GetAsync()
    {
        if (connection is not null)
        {
            return connection;
        }

        await gate.WaitAsync();
        try
        {
            var factory = new ConnectionFactory
            {
                Uri = uri,
                AutomaticRecoveryEnabled = true,
                ClientProvidedName = $"{serviceName}-health",
            };
            return connection ??= await factory.CreateConnectionAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        gate.Dispose();
    }
}
