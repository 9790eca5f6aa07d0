using System.Net;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;
using Submissions.Api.Apis;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

/// <summary>Every query is scoped by the token: a practice sees its own, a commissioner its ICB's practices, another tenant gets 404.</summary>
public sealed class ScopingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;
    private readonly string ods = NewOds();
    private readonly string otherOds = NewOds();


    [Fact]
    public async Task Another_practices_submission_is_not_found_and_not_listed()
    {
        var mine = factory.ClientFor(TestTokens.PracticeUser(ods));
        var theirs = factory.ClientFor(TestTokens.PracticeUser(otherOds));
        var id = (await (await mine.Submit(Flu(ods))).Receipt()).Id;
        await theirs.Submit(Flu(otherOds));

        var response = await theirs.GetAsync($"/api/submissions/{id}", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync($"/api/submissions/{id}/events", Cancel)).StatusCode);

        var myList = await mine.Get<PageOf<SubmissionSummary>>("/api/submissions");
        Assert.Equal(1, myList.Total);
        Assert.Equal(ods, myList.Items[0].PracticeOds);
        var admin = factory.ClientFor(TestTokens.PlatformAdmin());
        Assert.Equal(1, (await admin.Get<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={ods}")).Total);
        Assert.Equal(1, (await admin.Get<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={otherOds}")).Total);
        Assert.Equal(0, (await theirs.Get<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={ods}")).Total);
    }

    [Fact]
    public async Task A_commissioner_sees_the_submissions_of_practices_in_their_icb_only()
    {
        await factory.Bus.Publish(new PracticeRegistered(ods, "Test Surgery", "QWE", 9800, SubmissionsApiFactory.Today), Cancel);
        await factory.Bus.Publish(new PracticeRegistered(otherOds, "Elsewhere Surgery", "ZZZ", 6000, SubmissionsApiFactory.Today), Cancel);
        var id = (await (await factory.ClientFor(TestTokens.PracticeUser(ods)).Submit(Flu(ods))).Receipt()).Id;
        await factory.ClientFor(TestTokens.PracticeUser(otherOds)).Submit(Flu(otherOds));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await factory.CountAsync($"SELECT count(*) FROM practices WHERE ods IN ('{ods}', '{otherOds}')") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancel);
        }

        var qwe = factory.ClientFor(TestTokens.Commissioner("QWE"));
        Assert.Equal(1, (await qwe.Get<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={ods}")).Total);
        Assert.Equal(0, (await qwe.Get<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={otherOds}")).Total);
        Assert.Equal(HttpStatusCode.OK, (await qwe.GetAsync($"/api/submissions/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.ClientFor(TestTokens.Commissioner("ZZZ")).GetAsync($"/api/submissions/{id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_service_period_and_status_and_pages()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        await client.Submit(Flu(ods, 1));
        await client.Submit(Flu(ods, 2));
        await client.Submit(Flu(ods, 3, period: "2026-09"));

        var october = await client.Get<PageOf<SubmissionSummary>>(
            "/api/submissions?serviceCode=FLU&period=2026-10&status=validated&pageSize=1");
        Assert.Equal(2, october.Total);
        Assert.Equal(2, october.Items[0].Version);
        Assert.Equal(0, (await client.Get<PageOf<SubmissionSummary>>("/api/submissions?status=paid")).Total);

        // A page far past the end is an empty page, not an offset that overflows into a 500.
        var farAway = await client.Get<PageOf<SubmissionSummary>>("/api/submissions?page=14480356&pageSize=16481");
        Assert.Empty(farAway.Items);
        Assert.Equal(3, farAway.Total);
    }
}
