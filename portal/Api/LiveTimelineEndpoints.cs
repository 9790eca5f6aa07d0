using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;
using Platform.Client;
using Portal.Components.Pages.Submissions;

namespace Portal.Api;

/// <summary>
/// Live updates for a submission's page (the only script the portal has; without it the page is complete and a reload shows
/// the latest): <c>/submissions/{id}/live</c> relays the gateway's server-sent events for the signed-in person, and
/// <c>/submissions/{id}/timeline</c> renders the timeline and payment panel the script swaps in after each event.
/// </summary>
public static class LiveTimelineEndpoints
{
    public static IEndpointRouteBuilder MapLiveTimeline(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/submissions/{id:guid}").RequireAuthorization();
        group.MapGet("/live", Relay);
        group.MapGet("/timeline", TimelineAsync);
        return app;
    }

    private static async Task<Results<RazorComponentResult<TimelinePanel>, NotFound, StatusCodeHttpResult>> TimelineAsync(
        Guid id, PlatformApi api, CancellationToken cancellationToken)
    {
        try
        {
            var submission = await api.Submissions.Api.Submissions[id].GetAsync(cancellationToken: cancellationToken);
            return submission is null
                ? TypedResults.NotFound()
                : new RazorComponentResult<TimelinePanel>(new Dictionary<string, object?> { [nameof(TimelinePanel.Submission)] = submission });
        }
        catch (ApiException exception)
        {
            return TypedResults.StatusCode(exception.ResponseStatusCode is >= 400 and < 500 ? exception.ResponseStatusCode : StatusCodes.Status502BadGateway);
        }
    }

    private static ServerSentEventsResult<string> Relay(Guid id, IHttpClientFactory clients, SessionTokens tokens, IOptions<PortalOptions> options,
        CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(EventsAsync(id, clients, tokens, options.Value, cancellationToken));

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(Guid id, IHttpClientFactory clients, SessionTokens tokens, PortalOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(PortalApi.GatewayStreamClient);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.GatewayUrl, $"api/submissions/{id}/events"));
        request.Headers.Authorization = new("Bearer", await tokens.GetAccessTokenAsync(cancellationToken));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) yield break;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            yield return new SseItem<string>(item.Data, item.EventType) { EventId = item.EventId };
        }
    }
}
