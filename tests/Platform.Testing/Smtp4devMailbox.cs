using System.Net.Http.Json;

namespace Platform.Testing;

/// <summary>Reads the mail an smtp4dev server received, through its REST API (each call waits up to <paramref name="requestTimeout"/>, 30 s by default: smtp4dev answers slowly on a loaded machine).</summary>
public sealed class Smtp4devMailbox(Uri baseAddress, TimeSpan? requestTimeout = null) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = requestTimeout ?? TimeSpan.FromSeconds(30) };

    public sealed record ReceivedMessage(string Id, string From, IReadOnlyList<string> To, string Subject, DateTimeOffset ReceivedDate);

    private sealed record MessagePage(List<ReceivedMessage> Results, int RowCount);

    /// <summary>One SMTP connection the server accepted; <see cref="EndDate"/> is null while it is open.</summary>
    public sealed record Session(string Id, DateTimeOffset StartDate, DateTimeOffset? EndDate);

    private sealed record SessionPage(List<Session> Results);

    public Uri BaseAddress => baseAddress;

    public async Task<IReadOnlyList<ReceivedMessage>> GetMessagesAsync(CancellationToken cancellationToken = default)
    {
        var page = await http.GetFromJsonAsync<MessagePage>("api/messages?pageSize=10000", cancellationToken);
        return page?.Results ?? [];
    }

    /// <summary>Every connection the server has accepted, open or ended.</summary>
    public async Task<IReadOnlyList<Session>> GetSessionsAsync(CancellationToken cancellationToken = default)
    {
        var page = await http.GetFromJsonAsync<SessionPage>("api/sessions?pageSize=10000", cancellationToken);
        return page?.Results ?? [];
    }

    public async Task<string> GetPlainTextAsync(string messageId, CancellationToken cancellationToken = default) =>
        await http.GetStringAsync($"api/messages/{messageId}/plaintext", cancellationToken);

    /// <summary>Waits until a message matching <paramref name="match"/> arrives, or fails after <paramref name="timeout"/>.</summary>
    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var found = (await GetMessagesAsync(cancellationToken)).FirstOrDefault(match);
                if (found is not null) return found;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException
                && !cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                // A busy (or restarting) smtp4dev answers late: ask again until the deadline.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No matching email arrived at {baseAddress} within {timeout}.");
            await Task.Delay(250, cancellationToken);
        }
    }

    internal async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("api/messages?pageSize=1", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => http.Dispose();
}
