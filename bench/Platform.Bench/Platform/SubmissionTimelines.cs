
namespace Platform.Bench.Platform;

/// <summary>
/// Reads submissions' statuses and timelines straight from Submissions' database, one query for all of them: following a
/// run this way costs the platform one small read a second, where reading each submission through the gateway would add
/// its own load to the load being measured.
/// </summary>
public sealed class SubmissionTimelines(string connectionString)
{
    public async Task<Dictionary<Guid, SubmissionState>> ReadAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT s.id, s.status, s.received_at,
                   (SELECT min(t.at) FROM timeline_entries t WHERE t.submission_id = s.id AND t.status = 'received'),
                   (SELECT min(t.at) FROM timeline_entries t WHERE t.submission_id = s.id AND t.status = 'paid')
            FROM submissions s WHERE s.id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var states = new Dictionary<Guid, SubmissionState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var received = reader.IsDBNull(3) ? reader.GetFieldValue<DateTimeOffset>(2) : reader.GetFieldValue<DateTimeOffset>(3);
            var paid = reader.IsDBNull(4) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(4);
            states[reader.GetGuid(0)] = new SubmissionState(reader.GetString(1), received, paid);
        }
        return states;
    }
}

public sealed record SubmissionState(string Status, DateTimeOffset ReceivedAt, DateTimeOffset? PaidAt)
{
    public bool Terminal => Status is "paid" or "rejected" or "declined" or "payment-failed" or "superseded";
}
