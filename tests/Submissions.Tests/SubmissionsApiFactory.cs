using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Platform.Testing;

namespace Submissions.Tests;

/// <summary>The Submissions service on real PostgreSQL and RabbitMQ, with its own database per factory.</summary>
public sealed class SubmissionsApiFactory(string databaseConnectionString, Uri rabbitMq) : WebApplicationFactory<Program>
{
    public static async Task<SubmissionsApiFactory> CreateAsync(MessagingServers servers) =>
        new(await servers.CreateDatabaseAsync("submissions"), servers.RabbitMq.AmqpUri);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:submissionsdb", databaseConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", rabbitMq.ToString());
    }
}
