using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Submissions.Api.Data;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>
/// What <see cref="PaymentRefusedConsumer"/> does, for the <see cref="SubmissionRejected"/> Payments published before it published
/// PaymentRefused: such a message may still be queued (or in Payments' outbox) during a rolling deployment. Remove it once none can be.
/// </summary>
public sealed class SubmissionRejectedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<SubmissionRejectedConsumer> logger)
    : RefusalConsumer<SubmissionRejected>(db, clock, metrics, logger)
{
    protected override PaymentRefused Refusal(SubmissionRejected m) =>
        new(m.SubmissionId, m.Version, m.PracticeOds, m.ServiceCode, m.Period, m.Code, m.Reason, m.RejectedAt, m.SubmittedBy);
}
