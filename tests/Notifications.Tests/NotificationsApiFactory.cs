using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>The Notifications service on real PostgreSQL, RabbitMQ and SMTP, with its own database.</summary>
public sealed class NotificationsApiFactory(string database, Uri rabbitMq, SmtpServer smtp) : WebApplicationFactory<Program>
{
    public static async Task<NotificationsApiFactory> CreateAsync(MessagingServers servers, SmtpServer smtp) =>
        new(await servers.CreateDatabaseAsync("notifications"), servers.RabbitMq.AmqpUri, smtp);

    public IBus Bus => Services.GetRequiredService<IBus>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:notificationsdb", database);
        builder.UseSetting("ConnectionStrings:messaging", rabbitMq.ToString());
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Notifications:Delivery:FirstRetryDelay", "00:00:00.200");
        builder.UseSetting("Notifications:Delivery:MaxRetryDelay", "00:00:01");
        builder.UseSetting("Notifications:Delivery:MaxAttempts", "1000");
    }
}
