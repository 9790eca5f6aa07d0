using System.Net;
using Microsoft.Playwright;
using Platform.Client.Payments.Models;
using Platform.Client.Submissions.Models;
using Platform.Tests.Portal;

namespace Platform.Tests;

/// <summary>QOF payments wait for a commissioner of the practice's ICB, who approves or declines them.</summary>
public sealed class ApprovalTests(PlatformAppFixture platform)
{
    private static readonly TimeSpan ToOutcome = TimeSpan.FromSeconds(90);


    private async Task<(SubmissionReceipt Receipt, Guid PaymentId)> SubmitAndWaitForApprovalAsync(string user, string practiceOds, CancellationToken cancellationToken)
    {
        var practice = await platform.SignedInAsAsync(user, cancellationToken);
        var period = await platform.ReservePeriodAsync(practiceOds, "QOF", cancellationToken);
        var (_, receipt) = await practice.SubmitAsync(PlatformClient.ItemSubmission(practiceOds, "QOF", period, "AF008", 20), cancellationToken);
        await practice.WaitForStatusAsync(receipt.StatusUrl!, "awaiting-approval", ToOutcome, cancellationToken);
        // The commissioner finds it in their approval queue.
        var commissioner = await platform.SignedInAsAsync("commissioner@qwe.demo", cancellationToken);
        var queue = await commissioner.GetAsync($"/api/payments?status=awaiting-approval&submissionId={receipt.Id!.Value}",
            PageOfOfPaymentView.CreateFromDiscriminatorValue, cancellationToken);
        return (receipt, Assert.Single(queue.Items!).Id!.Value);
    }

    private static List<string?> Statuses(SubmissionView submission) => [.. submission.Timeline!.Select(entry => entry.Status)];

    private static void AssertOneTraceFromReceiptToOutcome(SubmissionReceipt receipt, SubmissionView submission)
    {
        var traceId = receipt.TraceId;
        Assert.All(submission.Timeline!, entry => Assert.Equal(traceId, entry.TraceId));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_qof_submission_waits_for_the_commissioner_and_ends_paid_once_approved_in_the_portal()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (receipt, paymentId) = await SubmitAndWaitForApprovalAsync("user@a81001.demo", "A81001", cancellationToken);

        var practiceUser = await platform.SignedInAsAsync("user@a81001.demo", cancellationToken);
        using var refused = await practiceUser.PostJsonAsync($"/api/payments/{paymentId}/decision", new { decision = "approve" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var commissioner = await platform.SignedInAsAsync("commissioner@qwe.demo", cancellationToken);
        var awaiting = await commissioner.GetAsync("/api/payments?status=awaiting-approval", PageOfOfPaymentView.CreateFromDiscriminatorValue, cancellationToken);
        Assert.Contains(awaiting.Items!, payment => payment.Id == paymentId);
        // The commissioner decides as a person does: in the portal, from the approvals page.
        await ApproveInThePortalAsync(paymentId, "Checked against the practice's clinical system.");

        var statusUrl = receipt.StatusUrl!;
        var paid = await practiceUser.WaitForStatusAsync(statusUrl, "paid", ToOutcome, cancellationToken);
        // Payments' events travel on separate queues: the approval may be recorded just after the payment.
        for (var wait = 0; wait < 40 && !Statuses(paid).Contains("approved"); wait++)
        {
            await Task.Delay(250, cancellationToken);
            paid = await practiceUser.GetAsync(statusUrl, SubmissionView.CreateFromDiscriminatorValue, cancellationToken);
        }
        Assert.Equal(["received", "validated", "calculated", "awaiting-approval", "approved", "paid"], Statuses(paid));
        Assert.False(string.IsNullOrEmpty(paid.Payment!.RemittanceReference));
        AssertOneTraceFromReceiptToOutcome(receipt, paid);

        // Four of Payments' events reach Submissions on separate queues, and none of them is an error in the trace.
        var spans = await platform.Traces.WaitForTraceAsync(receipt.TraceId!,
            spans => spans.Any(span => span.Service == "submissions" && span.Name == "inbox handle PaymentSettled"), TimeSpan.FromSeconds(60), cancellationToken);
        Assert.Empty(spans.Where(span => span.IsError).Select(span => span.ToString()));
    }

    private async Task ApproveInThePortalAsync(Guid paymentId, string reason)
    {
        var page = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);
        await PortalPeople.SignInAsync(page, "commissioner@qwe.demo", startAt: "/signin?returnUrl=%2Fapprovals");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/approvals");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "approvals");
        await page.ClickAsync($"a[href='/approvals/{paymentId}']");

        // Bad input first: no decision and no reason re-render the form with the NHS.UK error summary.
        await page.ClickAsync("button:has-text('Save decision')");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select approve or decline");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.CheckAsync("#decision-approve");
        await page.FillAsync("#reason", reason);
        await page.ClickAsync("button:has-text('Save decision')");
        // The decision shows who made it by name, not by user id.
        await Assertions.Expect(page.Locator("[data-testid=decision]")).ToContainTextAsync(reason);
        Assert.DoesNotContain("A commissioner", await page.Locator("[data-testid=decision]").InnerTextAsync());
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "approval-decided");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_declined_qof_submission_ends_declined_with_the_reason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (receipt, paymentId) = await SubmitAndWaitForApprovalAsync("user@b82002.demo", "B82002", cancellationToken);

        var commissioner = await platform.SignedInAsAsync("commissioner@qwe.demo", cancellationToken);
        using var declined = await commissioner.PostJsonAsync($"/api/payments/{paymentId}/decision",
            new { decision = "decline", reason = "Register counts do not match the extract." }, cancellationToken);
        Assert.True(declined.IsSuccessStatusCode, $"Declining answered {(int)declined.StatusCode}: {await declined.Content.ReadAsStringAsync(cancellationToken)}");

        var practiceUser = await platform.SignedInAsAsync("user@b82002.demo", cancellationToken);
        var outcome = await practiceUser.WaitForStatusAsync(receipt.StatusUrl!, "declined", ToOutcome, cancellationToken);
        Assert.Contains("Register counts do not match", outcome.Timeline!.Last().Detail);
        AssertOneTraceFromReceiptToOutcome(receipt, outcome);
    }
}
