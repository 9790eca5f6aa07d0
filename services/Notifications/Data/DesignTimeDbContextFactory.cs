using Platform.ServiceDefaults;

namespace Notifications.Api.Data;

internal sealed class DesignTimeDbContextFactory() : DesignTimeDbContextFactory<NotificationsDbContext>("notificationsdb", options => new(options));
