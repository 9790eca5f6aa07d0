using System.Net;
using System.Net.Http.Json;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Security;

/// <summary>
/// Nobody reads or changes what is not theirs: every resource tried from another practice, or by a commissioner of
/// another ICB, answers 404 (as if it did not exist); a practice user cannot approve and a commissioner cannot submit (403).
/// Each refusal has a control: the owner (or the right commissioner) gets the same resource.
/// </summary>
public sealed class TenantIsolationTests(ResiliencePlatform platform)
{
    [Fact(Timeout = 300_000)]
    public async Task Resources_of_another_practice_or_icb_answer_404_and_roles_cannot_step_outside_their_job()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var own = tenants.Practices.First(p => p.Icb == Tenants.ApprovingIcb);
        var other = tenants.Practices.Last(p => p.Icb == Tenants.OtherIcb);
        var ownPaid = await Submitting.SubmitAsync(platform, tenants.Slots.TakeItem(own), "paid", cancellationToken);
        var otherPaid = await Submitting.SubmitAsync(platform, tenants.Slots.TakeItem(other), "paid", cancellationToken);
        var ownWaiting = await Submitting.SubmitAsync(platform, tenants.Slots.TakeApproval(), "awaiting-approval", cancellationToken);
        var otherWaiting = await Submitting.SubmitAsync(platform, tenants.Slots.TakeApproval(Tenants.OtherIcb), "awaiting-approval", cancellationToken);

        var manager = ApiClient.ForUser(platform.Gateway, Addresses.Next(), "manager@a81001.demo", Tenants.DemoPassword);
        var practiceUser = ApiClient.ForUser(platform.Gateway, Addresses.Next(), "user@a81001.demo", Tenants.DemoPassword);
        var otherPerson = ApiClient.ForUser(platform.Gateway, Addresses.Next(), "user@b82002.demo", Tenants.DemoPassword);
        var commissioner = tenants.Commissioner;
        var wrong = new List<string>();

        async Task Expect(ApiClient client, HttpMethod method, string path, HttpStatusCode expected, object? body = null, string who = "")
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (method == HttpMethod.Post) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()); // the creating POSTs require one
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode != expected)
            {
                wrong.Add($"{who}: {method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        // Another practice's submissions and payments, and its practice record, from a practice's system client.
        var ownClient = own.System;
        await Expect(ownClient, HttpMethod.Get, $"/api/submissions/{ownPaid.Id}", HttpStatusCode.OK, who: "control: own practice");
        await Expect(ownClient, HttpMethod.Get, $"/api/payments/{ownPaid.PaymentId}", HttpStatusCode.OK, who: "control: own practice");
        await Expect(ownClient, HttpMethod.Get, $"/api/submissions/{otherPaid.Id}", HttpStatusCode.NotFound, who: "another practice");
        await Expect(ownClient, HttpMethod.Get, $"/api/submissions/{otherPaid.Id}/events", HttpStatusCode.NotFound, who: "another practice");
        await Expect(ownClient, HttpMethod.Get, $"/api/payments/{otherPaid.PaymentId}", HttpStatusCode.NotFound, who: "another practice");
        await Expect(ownClient, HttpMethod.Get, $"/api/identity/practices/{other.Ods}", HttpStatusCode.NotFound, who: "another practice");
        var listed = await ownClient.GetOkAsync<PageOf<PaymentView>>($"/api/payments?submissionId={otherPaid.Id}", cancellationToken);
        if (listed.Items.Count != 0) wrong.Add($"another practice: its payment is listed: {string.Join(", ", listed.Items)}");
        var searched = await ownClient.GetOkAsync<PageOf<SubmissionSummary>>($"/api/submissions?practiceOds={other.Ods}", cancellationToken);
        if (searched.Items.Count != 0) wrong.Add($"another practice: its submissions are listed: {string.Join(", ", searched.Items)}");

        // A practice admin administers only its own practice.
        await Expect(manager, HttpMethod.Get, "/api/identity/practices/A81001/users", HttpStatusCode.OK, who: "control: own practice admin");
        await Expect(manager, HttpMethod.Get, $"/api/identity/practices/{other.Ods}/users", HttpStatusCode.NotFound, who: "another practice's admin");
        await Expect(manager, HttpMethod.Get, $"/api/identity/practices/{other.Ods}/clients", HttpStatusCode.NotFound, who: "another practice's admin");
        await Expect(manager, HttpMethod.Get, $"/api/identity/practices/{other.Ods}/credentials", HttpStatusCode.NotFound, who: "another practice's admin");
        await Expect(manager, HttpMethod.Post, $"/api/identity/practices/{other.Ods}/users", HttpStatusCode.NotFound,
            new { email = "intruder@a81001.test", displayName = "Intruder", role = "practice-admin" }, "another practice's admin");
        await Expect(manager, HttpMethod.Post, $"/api/identity/practices/{other.Ods}/users/{other.AdminUserId}/disable", HttpStatusCode.NotFound,
            who: "another practice's admin");

        // A commissioner sees and decides only for practices of its own ICB.
        await Expect(commissioner, HttpMethod.Get, $"/api/submissions/{ownPaid.Id}", HttpStatusCode.OK, who: "control: own ICB");
        await Expect(commissioner, HttpMethod.Get, $"/api/submissions/{otherPaid.Id}", HttpStatusCode.NotFound, who: "another ICB");
        await Expect(commissioner, HttpMethod.Get, $"/api/payments/{otherPaid.PaymentId}", HttpStatusCode.NotFound, who: "another ICB");
        await Expect(commissioner, HttpMethod.Post, $"/api/payments/{otherWaiting.PaymentId}/decision", HttpStatusCode.NotFound,
            new { decision = "approve", reason = "Not mine to approve." }, "another ICB");

        // Roles: a practice cannot approve its own payment; a commissioner cannot submit.
        object approve = new { decision = "approve", reason = "Approving my own money." };
        await Expect(practiceUser, HttpMethod.Post, $"/api/payments/{ownWaiting.PaymentId}/decision", HttpStatusCode.Forbidden, approve, "practice user");
        await Expect(manager, HttpMethod.Post, $"/api/payments/{ownWaiting.PaymentId}/decision", HttpStatusCode.Forbidden, approve, "practice admin");
        await Expect(ownWaiting.Slot.Practice.System, HttpMethod.Post, $"/api/payments/{ownWaiting.PaymentId}/decision", HttpStatusCode.Forbidden, approve,
            "practice system client");
        var slot = tenants.Slots.TakeItem(own);
        await Expect(commissioner, HttpMethod.Post, "/api/submissions", HttpStatusCode.Forbidden, slot.Body(5), "commissioner");

        // Someone else's in-app notice: the demo user warned at start-up owns one; another person cannot touch it.
        var notice = await NoticeOfAsync("expiring@a81001.demo", cancellationToken);
        await Expect(otherPerson, HttpMethod.Post, $"/api/notifications/{notice}/read", HttpStatusCode.NotFound, who: "another person's notice");
        var inbox = await otherPerson.GetOkAsync<NoticePage>("/api/notifications?pageSize=100", cancellationToken);
        if (inbox.Items.Any(item => item.Id == notice)) wrong.Add("another person's notice is in the inbox");

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
        var decided = await Fetch(commissioner, $"/api/payments/{ownWaiting.PaymentId}", cancellationToken);
        Assert.Equal("awaiting-approval", decided.Status);
    }

    private static Task<PaymentView> Fetch(ApiClient client, string path, CancellationToken cancellationToken) => client.GetOkAsync<PaymentView>(path, cancellationToken);

    private async Task<Guid> NoticeOfAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = platform.Database("notificationsdb").CreateCommand(
            "SELECT n.id FROM notices n JOIN recipients r ON r.user_id = n.recipient_user_id WHERE r.email = @email ORDER BY n.created_at LIMIT 1");
        command.Parameters.AddWithValue("email", email);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid? ?? throw new InvalidOperationException($"{email} has no notice.");
    }
}
