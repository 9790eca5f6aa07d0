using Platform.ServiceDefaults;

namespace Payments.Api.Data;

internal sealed class DesignTimeDbContextFactory() : DesignTimeDbContextFactory<PaymentsDbContext>("paymentsdb", options => new(options));
