using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Messaging;

public static class MessagingHostExtensions
{
    public const string ConnectionStringName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ (connection string "messaging", an amqp:// URI) with endpoint names "{serviceName}-{consumer}",
    /// durable queues, publisher confirms, prefetch and in-process retries from <see cref="MessagingOptions"/> then the _error queue;
    /// the outbox dispatcher and retention for <typeparamref name="TDb"/>; a RabbitMQ health check tagged "ready"; the
    /// <see cref="MessagingMetrics"/> (retries, dead letters, outbox backlog) on the "Platform" meter.
    /// Call once per service.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformMessaging<TDb>(
        this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configureBus = null)
        where TDb : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var brokerUri = BrokerUri(builder.Configuration);
        var services = builder.Services;

        services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection(MessagingOptions.SectionName))
            .PostConfigure(options =>
            {
                if (options.RetryIntervals.Length == 0)
                {
                    options.RetryIntervals = [.. MessagingOptions.DefaultRetryIntervals];
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddMetrics();
        services.TryAddSingleton<MessagingMetrics>();
        services.AddSingleton(new MessagingServiceName(serviceName));
        services.TryAddSingleton<CommittedOutboxRows>();
        services.TryAddSingleton<OutboxCommitInterceptor>();

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter($"{serviceName}-", includeNamespace: false));
            configureBus?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                rabbit.Host(brokerUri, host => host.PublisherConfirmation = true);
                rabbit.Durable = true;
                rabbit.PrefetchCount = options.PrefetchCount;
                // No delayed redelivery: the broker has no delayed-exchange plugin. After these, MassTransit moves the message to _error.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Intervals(options.RetryIntervals);
                    retry.ConnectRetryObserver(new RetryMetricsObserver(context.GetRequiredService<MessagingMetrics>(), serviceName));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        // After AddMassTransit, so on shutdown they stop before the bus they publish through.
        services.AddHostedService<OutboxDispatcher<TDb>>();
        services.AddHostedService<MessageRetention<TDb>>();

        services.AddSingleton(_ => new RabbitMqHealthConnection(brokerUri, serviceName));
        services.AddHealthChecks().AddRabbitMQ(
            sp => sp.GetRequiredService<RabbitMqHealthConnection>().GetAsync(),
            name: "rabbitmq",
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5));

        return builder;
    }

    private static Uri BrokerUri(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing: set ConnectionStrings:{ConnectionStringName} to the RabbitMQ URI, e.g. amqp://guest:guest@127.0.0.1:5672/.");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "rabbitmq" or "rabbitmqs"
            ? uri
            : throw new InvalidOperationException($"Connection string '{ConnectionStringName}' is not an amqp:// URI.");
    }
}
