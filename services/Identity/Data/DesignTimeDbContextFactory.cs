using Platform.ServiceDefaults;

namespace Identity.Api.Data;

internal sealed class DesignTimeDbContextFactory() : DesignTimeDbContextFactory<IdentityDbContext>("identitydb", options => new(options));
