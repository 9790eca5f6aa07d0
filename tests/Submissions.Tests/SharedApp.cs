using Platform.Testing;

namespace Submissions.Tests;

/// <summary>One Submissions service per test class (tests keep apart by each using a practice code of its own).</summary>
public sealed class SharedApp(MessagingServers servers) : IAsyncLifetime
{
    public SubmissionsApiFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Factory = await SubmissionsApiFactory.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
