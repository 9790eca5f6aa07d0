using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Data;

/// <summary>
/// EF Core cannot say <c>FOR UPDATE SKIP LOCKED</c>; a query tagged with <see cref="Tag"/> gets it appended, so a claim keeps its
/// LINQ filter (one definition of the rule) and replicas still skip the rows another has claimed.
/// </summary>
public sealed class SkipLocked : DbCommandInterceptor
{
    public const string Tag = "claim: FOR UPDATE SKIP LOCKED";

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        AppendIfTagged(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        AppendIfTagged(command);
        return ValueTask.FromResult(result);
    }

    private static void AppendIfTagged(DbCommand command)
    {
        if (command.CommandText.StartsWith($"-- {Tag}", StringComparison.Ordinal)) command.CommandText += "\nFOR UPDATE SKIP LOCKED";
    }
}
