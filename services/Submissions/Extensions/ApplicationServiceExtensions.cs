using Platform.Messaging;
using Submissions.Api.Apis;
using Submissions.Api.Consumers;
using Submissions.Api.Data;

namespace Submissions.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SubmissionsDbContext>("submissionsdb", (services, options) => options.UsePlatformOutbox(services));
        builder.AddPlatformMessaging<SubmissionsDbContext>("submissions", bus => bus.AddConsumer<PaymentSettledConsumer>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<SubmissionIntake>();
        return builder;
    }
}
