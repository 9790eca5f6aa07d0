using System.Collections.Concurrent;

namespace Platform.Tests;

public sealed partial class PlatformAppFixture
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PlatformClient>>> signedIn = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A client signed in as a demo user, once per user for the whole run, as a real client app keeps its token:
    /// the gateway limits sign-ins per address, and every test signs in from this one.
    /// </summary>
    public Task<PlatformClient> SignedInAsAsync(string username, CancellationToken cancellationToken) =>
        signedIn.GetOrAdd(username, name => new Lazy<Task<PlatformClient>>(() => PlatformClient.SignInAsync(Gateway, name, cancellationToken))).Value;
}
