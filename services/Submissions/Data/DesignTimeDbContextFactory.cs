using Platform.ServiceDefaults;

namespace Submissions.Api.Data;

internal sealed class DesignTimeDbContextFactory() : DesignTimeDbContextFactory<SubmissionsDbContext>("submissionsdb", options => new(options));
