using System.Net;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>A control character in a list filter is refused as bad input, never carried to PostgreSQL (which cannot store U+0000).</summary>
public sealed class ControlCharacterTests(MessagingServers servers)
{
    [Theory]
    [InlineData("/api/payments?practiceOds=%00")]
    [InlineData("/api/payments?status=paid%01")]
    public async Task A_list_filter_with_a_control_character_is_400_invalid_characters(string url)
    {
        await using var factory = await PaymentsApiFactory.CreateAsync(servers);

        var response = await factory.ClientFor(TestTokens.PlatformAdmin()).GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_characters", (await response.ReadProblemAsync(Cancel)).Code);
    }
}
