using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Submissions.Api.Data;

namespace Submissions.Tests;

/// <summary>
/// Each use of a pooled connection costs no extra transaction: Npgsql's default reset (DISCARD ALL, sent before the next
/// use) is a transaction of its own in PostgreSQL's counts, about half of an idle service's commits and one per
/// connection use under load (bench/README.md). The services keep no session state that a reset would have to clear.
/// </summary>
public sealed class DatabaseSessionTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_service_reuses_pooled_connections_without_resetting_their_session()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SubmissionsDbContext>();

        var settings = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());

        Assert.True(settings.NoResetOnClose);
    }
}
