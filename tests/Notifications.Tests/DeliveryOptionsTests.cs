using Microsoft.Extensions.Options;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>Delivery settings that would break a guarantee stop the service at start-up, not at the first email.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class DeliveryOptionsTests(MessagingServers servers, NotificationsHost host)
{
    [Theory]
    [InlineData("Notifications:Delivery:BatchSize", "201")] // a batch's record would no longer be sure to be one implicit transaction
    [InlineData("Notifications:Delivery:RelayIdleTimeout", "-00:00:01")]
    public async Task A_delivery_setting_out_of_range_stops_the_service_at_start_up(string key, string value)
    {
        await using var factory = await NotificationsApiFactory.CreateAsync(servers, host.Smtp, new Dictionary<string, string> { [key] = value });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(factory.StartAsync);
        Assert.Equal(typeof(Notifications.Api.DeliveryOptions), error.OptionsType);
    }
}
