using Notifications.Api.Application;
using Notifications.Api.Data;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>
/// What <see cref="PaymentRefusedConsumer"/> does, for the <see cref="SubmissionRejected"/> Payments published before it published
/// PaymentRefused: such a message may still be queued (or in Payments' outbox) during a rolling deployment. Remove it once none can be.
/// </summary>
public sealed class SubmissionRejectedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : RefusalConsumer<SubmissionRejected>(db, notifier, directory, submissions, formats)
{
    protected override PaymentRefused Refusal(SubmissionRejected m) =>
        new(m.SubmissionId, m.Version, m.PracticeOds, m.ServiceCode, m.Period, m.Code, m.Reason, m.RejectedAt, m.SubmittedBy);
}
