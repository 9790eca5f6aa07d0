using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Consumers;
using Notifications.Api.Data;
using Notifications.Api.Jobs;
using Notifications.Api.Telemetry;
using Platform.Messaging;
using Platform.ServiceDefaults;

namespace Notifications.Api;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformAuthentication();
        builder.AddServiceDatabase<NotificationsDbContext>("notificationsdb", (services, options) => options.UsePlatformOutbox(services));
        builder.AddPlatformMessaging<NotificationsDbContext>("notifications", bus =>
        {
            // The recipient directory, fed only by Identity's events.
            bus.AddConsumer<PracticeRegisteredConsumer>();
            bus.AddConsumer<UserRegisteredConsumer>();
            bus.AddConsumer<UserContactChangedConsumer>();
            bus.AddConsumer<UserDisabledConsumer>();
            // Events someone must hear of.
            bus.AddConsumer<UserInvitedConsumer>();
            bus.AddConsumer<PasswordResetRequestedConsumer>();
            bus.AddConsumer<PasswordChangedConsumer>();
            bus.AddConsumer<EmailChangeRequestedConsumer>();
            bus.AddConsumer<EmailChangedConsumer>();
            bus.AddConsumer<UserLockedOutConsumer>();
            bus.AddConsumer<CredentialExpiringConsumer>();
            bus.AddConsumer<CredentialExpiredConsumer>();
            bus.AddConsumer<SubmissionAcceptedConsumer>();
            bus.AddConsumer<SubmissionRejectedConsumer>();
            bus.AddConsumer<PaymentRefusedConsumer>();
            bus.AddConsumer<SubmissionStalledConsumer>();
            bus.AddConsumer<PaymentAwaitingApprovalConsumer>();
            bus.AddConsumer<PaymentSettledConsumer>();
            bus.AddConsumer<PaymentDeclinedConsumer>();
            bus.AddConsumer<PaymentFailedConsumer>();
        });
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations()
            .Validate(smtp => Enum.TryParse<MailKit.Security.SecureSocketOptions>(smtp.Security, ignoreCase: true, out _),
                "Smtp:Security must be None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect.")
            .ValidateOnStart();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations()
            .Validate(delivery => delivery.FirstRetryDelay > TimeSpan.Zero && delivery.MaxRetryDelay >= delivery.FirstRetryDelay && delivery.PollInterval > TimeSpan.Zero
                    && delivery.GatherFor >= TimeSpan.Zero && delivery.GatherFor < delivery.PollInterval && delivery.RelayIdleTimeout >= TimeSpan.Zero,
                "Notifications:Delivery needs PollInterval > 0, 0 <= GatherFor < PollInterval, 0 < FirstRetryDelay <= MaxRetryDelay and RelayIdleTimeout >= 0.")
            .ValidateOnStart();
        builder.Services.AddOptions<MessageOptions>().BindConfiguration(MessageOptions.Section).ValidateDataAnnotations()
            .Validate(messages => messages.PortalBaseUrl.IsAbsoluteUri, "Notifications:Messages:PortalBaseUrl must be absolute.")
            .Validate(messages => TimeZoneInfo.TryFindSystemTimeZoneById(messages.TimeZone, out _), "Notifications:Messages:TimeZone is not a known time zone.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new Formats(TimeZoneInfo.FindSystemTimeZoneById(services.GetRequiredService<IOptions<MessageOptions>>().Value.TimeZone)));
        builder.Services.AddSingleton<NotificationMetrics>();
        // Parsed at start-up: a missing or broken template stops the service instead of failing the first event.
        builder.Services.AddSingleton<NotificationTemplates>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NotificationTemplates>());
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<RecipientDirectory>();
        builder.Services.AddScoped<CredentialNotices>();
        builder.Services.AddScoped<SubmissionModels>();
        builder.Services.AddScoped<Notifier>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<SmtpMailer>();
        builder.Services.AddHostedService<EmailDeliveryJob>();
        return builder;
    }
}
