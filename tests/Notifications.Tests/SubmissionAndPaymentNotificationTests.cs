using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;

namespace Notifications.Tests;

/// <summary>Receipts, rejections, approvals, remittances, declines, failures and stalls: the right people, the right content.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class SubmissionAndPaymentNotificationTests(NotificationsHost host)
{
    private static SubmissionAccepted Accepted(string ods, string? submittedBy, Guid? submissionId = null) => new(
        submissionId ?? Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 100)], "ab12cd34", DateTimeOffset.UtcNow, submittedBy);

    private static PaymentSettled Settled(string ods, Guid submissionId, decimal amount, string reference) => new(
        Guid.CreateVersion7(), submissionId, 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 100, 10.06m, 1006.00m), new PaymentLine("FLU_UNDER_65_AT_RISK", 20, 10.06m, 201.20m)], reference, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_receipt_goes_to_the_submitter()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Receipt Surgery");
        var submitter = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var accepted = Accepted(ods, submitter.UserId.ToString());
        var messageId = Guid.NewGuid();
        await host.Publish(accepted, messageId);

        var (_, text) = await host.MailAsync(submitter.Email, "Receipt: FLU 2026-10 submission for Receipt Surgery accepted");
        Assert.Contains($"Submission: {accepted.SubmissionId}, version 1", text);
        Assert.Contains("FLU_65_PLUS: 100", text);
        Assert.Contains($"https://portal.test/submissions/{accepted.SubmissionId}", text);
        Assert.Equal([submitter.Email], await host.EmailRowsAsync(messageId));
        await host.NoticeAsync(submitter, "submission-accepted");
        Assert.DoesNotContain(admin.UserId, await host.NoticeRowsAsync(messageId));
    }

    [Fact]
    public async Task A_receipt_for_a_system_client_or_unknown_submitter_goes_to_the_practice_admins()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var messageId = Guid.NewGuid();
        await host.Publish(Accepted(ods, "emis-feed-client"), messageId);

        await host.MailAsync(admin.Email, "Receipt: FLU 2026-10 submission");
        Assert.Equal([admin.Email], await host.EmailRowsAsync(messageId));
    }

    [Fact]
    public async Task A_refused_payment_tells_the_submitter_why_the_submission_was_rejected()
    {
        var ods = NotificationsHost.NewOds();
        var submitter = await host.RegisterAsync("practice-user", ods);
        await host.Publish(new PaymentRefused(Guid.CreateVersion7(), 2, ods, "QOF", "2026-27", PaymentRefusalCodes.SubmissionLocked,
            "Version 1 of QOF 2026-27 was already approved; it cannot be amended.", DateTimeOffset.UtcNow, submitter.UserId.ToString()));

        var (_, text) = await host.MailAsync(submitter.Email, "QOF 2026-27 submission");
        Assert.Contains("Reason (submission_locked): Version 1 of QOF 2026-27 was already approved; it cannot be amended.", text);
        await host.NoticeAsync(submitter, "submission-rejected");
    }

    [Fact]
    public async Task A_rejection_published_before_payment_refusals_still_tells_the_submitter_why()
    {
        // Payments published SubmissionRejected before it published PaymentRefused: one still queued in a rolling deployment.
        var ods = NotificationsHost.NewOds();
        var submitter = await host.RegisterAsync("practice-user", ods);
        await host.Publish(new SubmissionRejected(Guid.CreateVersion7(), 1, ods, "QOF", "2026-27", "no_rule",
            "No payment rule applies to QOF for 2026-27.", DateTimeOffset.UtcNow, submitter.UserId.ToString()));

        var (_, text) = await host.MailAsync(submitter.Email, "QOF 2026-27 submission");
        Assert.Contains("Reason (no_rule): No payment rule applies to QOF for 2026-27.", text);
        await host.NoticeAsync(submitter, "submission-rejected");
    }

    [Fact]
    public async Task Approval_requests_and_reminders_go_to_the_commissioners_of_the_practices_icb()
    {
        var ods = NotificationsHost.NewOds();
        var icb = NotificationsHost.NewIcb();
        var commissioner = await host.RegisterAsync("commissioner", icb: icb);
        var otherIcb = await host.RegisterAsync("commissioner", icb: NotificationsHost.NewIcb());
        var admin = await host.RegisterAsync("practice-admin", ods, icb);
        var paymentId = Guid.CreateVersion7();
        PaymentAwaitingApproval Awaiting(int reminder) => new(paymentId, Guid.CreateVersion7(), 1, ods, icb, "QOF", "2026-27", 25_430.55m, "GBP",
            "Above the ICB's approval threshold of £20,000.00", new DateTimeOffset(2026, 7, 10, 17, 0, 0, TimeSpan.Zero), reminder);
        var first = Guid.NewGuid();
        await host.Publish(Awaiting(0), first);
        var (_, text) = await host.MailAsync(commissioner.Email, "Approve or decline £25,430.55");
        Assert.Contains("Why it needs approval: Above the ICB's approval threshold of £20,000.00", text);
        Assert.Contains("Decide by: Friday 10 July 2026 at 18:00", text); // BST
        Assert.Contains($"https://portal.test/approvals/{paymentId}", text);
        Assert.Equal([commissioner.Email], await host.EmailRowsAsync(first));
        Assert.DoesNotContain(otherIcb.Email, await host.EmailRowsAsync(first));
        Assert.DoesNotContain(admin.Email, await host.EmailRowsAsync(first));

        await host.Publish(Awaiting(1));
        await host.MailAsync(commissioner.Email, "Reminder 1: Approve or decline £25,430.55");
    }

    [Fact]
    public async Task A_settled_payment_reaches_the_admins_and_the_submitter_with_amount_lines_and_reference()
    {
        var ods = NotificationsHost.NewOds();
        var submitter = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var colleague = await host.RegisterAsync("practice-user", ods);
        var submissionId = Guid.CreateVersion7();
        await host.Publish(Accepted(ods, submitter.UserId.ToString(), submissionId));
        await host.MailAsync(submitter.Email, "Receipt:");

        var reference = $"{ods}-RA{Random.Shared.Next(100000, 999999)}";
        var messageId = Guid.NewGuid();
        await host.Publish(Settled(ods, submissionId, 1207.20m, reference), messageId);

        var (mail, text) = await host.MailAsync(admin.Email, "Payment of £1,207.20 made for FLU 2026-10");
        Assert.Contains(reference, mail.Subject);
        Assert.Contains($"Remittance reference: {reference}", text);
        Assert.Contains("FLU_65_PLUS: 100 × £10.06 = £1,006.00", text);
        Assert.Contains("FLU_UNDER_65_AT_RISK: 20 × £10.06 = £201.20", text);
        Assert.Contains("Total: £1,207.20", text);
        var html = await host.HtmlAsync(mail.Id);
        Assert.Contains("<strong>£1,207.20</strong>", html);
        Assert.Contains($"<strong>{reference}</strong>", html);
        Assert.Contains("<td style=\"padding:4px 12px 4px 0;\">FLU_UNDER_65_AT_RISK</td>", html);

        await host.MailAsync(submitter.Email, "Payment of £1,207.20 made");
        Assert.Equal(new[] { admin.Email, submitter.Email }.Order(StringComparer.Ordinal), await host.EmailRowsAsync(messageId));
        Assert.DoesNotContain(colleague.Email, await host.EmailRowsAsync(messageId));
        var notice = await host.NoticeAsync(admin, "payment-settled");
        Assert.Contains(reference, notice.Body);
    }

    [Fact]
    public async Task Declined_and_failed_payments_tell_the_admins_and_the_submitter_the_reason()
    {
        var ods = NotificationsHost.NewOds();
        var submitter = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var submissionId = Guid.CreateVersion7();
        await host.Publish(Accepted(ods, submitter.UserId.ToString(), submissionId));
        await host.MailAsync(submitter.Email, "Receipt:");

        await host.Publish(new PaymentDeclined(Guid.CreateVersion7(), submissionId, 1, ods, "FLU", "2026-10", 1006m,
            "Vaccination counts do not match the ICB's records.", "commissioner-1", DateTimeOffset.UtcNow));
        var (_, declined) = await host.MailAsync(admin.Email, "Payment of £1,006.00 for FLU 2026-10 declined");
        Assert.Contains("Reason: Vaccination counts do not match the ICB's records.", declined);
        await host.MailAsync(submitter.Email, "declined");

        await host.Publish(new PaymentFailed(Guid.CreateVersion7(), submissionId, 1, ods, "FLU", "2026-10", 1006m,
            "The ledger refused the posting: account closed.", DateTimeOffset.UtcNow));
        var (_, failed) = await host.MailAsync(submitter.Email, "could not be made");
        Assert.Contains("Reason: The ledger refused the posting: account closed.", failed);
        await host.MailAsync(admin.Email, "could not be made");
        await host.NoticeAsync(submitter, "payment-failed");
    }

    [Fact]
    public async Task A_stalled_submission_goes_to_the_platform_admins()
    {
        var ods = NotificationsHost.NewOds();
        var platformAdmin = await host.RegisterAsync("platform-admin");
        var practiceAdmin = await host.RegisterAsync("practice-admin", ods);
        var messageId = Guid.NewGuid();
        await host.Publish(new SubmissionStalled(Guid.CreateVersion7(), 1, ods, "QOF", "2026-27", "calculated",
            DateTimeOffset.UtcNow.AddHours(-30), TimeSpan.FromHours(30), DateTimeOffset.UtcNow), messageId);

        var (_, text) = await host.MailAsync(platformAdmin.Email, $"Stalled: {ods} QOF 2026-27 submission stuck in calculated for 1 day 6 hours");
        Assert.Contains("beyond its SLA", text);
        Assert.DoesNotContain(practiceAdmin.Email, await host.EmailRowsAsync(messageId));
        await host.NoticeAsync(platformAdmin, "submission-stalled");
    }
}
