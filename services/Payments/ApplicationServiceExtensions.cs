using Payments.Api.Application;
using Payments.Api.Consumers;
using Payments.Api.Data;
using Payments.Api.Domain;
using Payments.Api.Jobs;
using Payments.Api.Telemetry;
using Platform.Messaging;
using Platform.ServiceDefaults;

namespace Payments.Api;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentsDbContext>("paymentsdb", (services, options) => options
            .UsePlatformOutbox(services)
            .AddInterceptors(services.GetRequiredService<PostingSignal>()) // wakes the posting job after a commit that made a payment due
            .AddInterceptors(new SkipLocked())); // lets the posting job's claim query skip rows another replica holds
        builder.AddPlatformMessaging<PaymentsDbContext>("payments", bus =>
        {
            bus.AddConsumer<SubmissionAcceptedConsumer>();
            bus.AddConsumer<PracticeRegisteredConsumer>();
        });
        builder.AddPlatformAuthentication();
        builder.Services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // Loaded now, so an inconsistent rules file stops the service at start-up.
        builder.Services.AddSingleton(new RulesBook(PaymentRulesFiles.LoadEmbedded()));
        builder.Services.AddSingleton<ILedger, DatabaseLedger>();
        builder.Services.AddSingleton<PostingSignal>();
        builder.Services.AddSingleton<LedgerPostingJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerPostingJob>());
        builder.Services.AddSingleton<PaymentMetrics>();
        builder.Services.AddSingleton<AwaitingApprovalSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AwaitingApprovalSampler>());
        builder.Services.AddSingleton<ApprovalReminderJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApprovalReminderJob>());
        return builder;
    }
}
