using Platform.Messaging;
using Platform.ServiceDefaults;
using Submissions.Api.Application;
using Submissions.Api.Consumers;
using Submissions.Api.Data;
using Submissions.Api.Jobs;
using Submissions.Api.Telemetry;

namespace Submissions.Api;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SubmissionsDbContext>("submissionsdb", (services, options) => options.UsePlatformOutbox(services));
        builder.AddPlatformMessaging<SubmissionsDbContext>("submissions", bus =>
        {
            bus.AddConsumer<PaymentCalculatedConsumer>();
            bus.AddConsumer<PaymentAwaitingApprovalConsumer>();
            bus.AddConsumer<PaymentApprovedConsumer>();
            bus.AddConsumer<PaymentDeclinedConsumer>();
            bus.AddConsumer<PaymentSettledConsumer>();
            bus.AddConsumer<PaymentFailedConsumer>();
            bus.AddConsumer<PaymentCancelledConsumer>();
            bus.AddConsumer<PaymentRefusedConsumer>();
            bus.AddConsumer<SubmissionRejectedConsumer>();
            bus.AddConsumer<PracticeRegisteredConsumer>();
        });
        builder.Services.AddOptions<WatchdogOptions>().BindConfiguration(WatchdogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SubmissionEventOptions>().BindConfiguration(SubmissionEventOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // Loaded now, so an inconsistent catalogue file stops the service at start-up.
        builder.Services.AddSingleton(CatalogueFiles.LoadEmbedded());
        builder.Services.AddScoped<SubmissionIntake>();
        builder.Services.AddSingleton<SubmissionMetrics>();
        builder.Services.AddSingleton<StalledSubmissionWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StalledSubmissionWatchdog>());
        builder.AddPlatformAuthentication();
        return builder;
    }
}
