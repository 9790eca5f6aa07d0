using System.Net;
using System.Text;
using Platform.Testing;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

/// <summary>A control character in a filter or a body is refused as bad input, never carried to PostgreSQL (which cannot store U+0000).</summary>
public sealed class ControlCharacterTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("/api/submissions?status=%00")]
    [InlineData("/api/submissions?practiceOds=A8%001")]
    [InlineData("/api/submissions?serviceCode=FLU%07")]
    public async Task A_list_filter_with_a_control_character_is_400_invalid_characters(string url)
    {
        var response = await app.Factory.ClientFor(TestTokens.PracticeUser(NewOds())).GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_characters", (await response.ReadProblemAsync(Cancel)).Code);
    }

    [Fact]
    public async Task A_submission_with_an_escaped_nul_in_a_string_is_400_invalid_characters()
    {
        var ods = NewOds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions")
        {
            Content = new StringContent(
                $$"""{"practiceOds":"{{ods}}","serviceCode":"FLU","period":"2026-10","values":[{"indicator":"FLU_65_PLUS\u0000","value":3}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await app.Factory.ClientFor(TestTokens.PracticeUser(ods)).SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_characters", (await response.ReadProblemAsync(Cancel)).Code);
    }
}
