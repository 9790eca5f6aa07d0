using Microsoft.Kiota.Abstractions;
using Platform.Client.Identity;
using Platform.Client.Notifications;
using Platform.Client.Payments;
using Platform.Client.Submissions;

namespace Platform.Client;

/// <summary>
/// The generated client for each service, all through one gateway and one token source (the CLI's cached tokens, the
/// portal's signed-in person). Creating them also
/// registers Kiota's JSON serialisers, which reading a submission file into the generated model needs.
/// </summary>
public sealed class PlatformApi
{
    public PlatformApi(Uri gateway, IAccessTokenSource tokens, HttpClient http)
    {
        IRequestAdapter adapter = PlatformRequestAdapter.Create(gateway, tokens, http);
        Identity = new IdentityClient(adapter);
        Submissions = new SubmissionsClient(adapter);
        Payments = new PaymentsClient(adapter);
        Notifications = new NotificationsClient(adapter);
    }

    public IdentityClient Identity { get; }

    public SubmissionsClient Submissions { get; }

    public PaymentsClient Payments { get; }

    public NotificationsClient Notifications { get; }
}
