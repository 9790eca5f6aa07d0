using Payments.Api.Consumers;
using Payments.Api.Data;
using Platform.Messaging;

namespace Payments.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentsDbContext>("paymentsdb", (services, options) => options.UsePlatformOutbox(services));
        builder.AddPlatformMessaging<PaymentsDbContext>("payments", bus => bus.AddConsumer<SubmissionAcceptedConsumer>());
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
