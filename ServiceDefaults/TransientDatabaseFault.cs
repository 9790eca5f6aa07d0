using Npgsql;

namespace Platform.ServiceDefaults;

/// <summary>
/// A database fault that trying again can mend: the connection was lost, or PostgreSQL is shutting down, restarting or
/// busy. EF Core wraps the driver's exception (a failed save is a <c>DbUpdateException</c>), so the inner one counts too.
/// </summary>
public static class TransientDatabaseFault
{
    public static bool Is(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } || exception.InnerException is NpgsqlException { IsTransient: true };
}
