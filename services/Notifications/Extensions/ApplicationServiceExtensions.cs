using Notifications.Api.Consumers;
using Notifications.Api.Data;
using Notifications.Api.Jobs;
using Platform.Messaging;

namespace Notifications.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext>("notificationsdb", (services, options) => options.UsePlatformOutbox(services));
        builder.AddPlatformMessaging<NotificationsDbContext>("notifications", bus => bus.AddConsumer<PaymentSettledConsumer>());
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SmtpMailer>();
        builder.Services.AddHostedService<EmailDeliveryJob>();
        return builder;
    }
}
