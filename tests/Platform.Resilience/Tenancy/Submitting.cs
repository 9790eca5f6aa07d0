using System.Net;
using Platform.Resilience.Running;

namespace Platform.Resilience.Tenancy;

/// <summary>A submitted version and its payment, once the payment reached the status waited for.</summary>
public sealed record Submitted(Guid Id, int Version, Guid PaymentId, Slot Slot);

/// <summary>Submits one slot through the gateway and waits (in the payments database) until its payment reaches a status.</summary>
public static class Submitting
{
    public static async Task<Submitted> SubmitAsync(ResiliencePlatform platform, Slot slot, string paymentStatus, CancellationToken cancellationToken)
    {
        var (status, answer) = await slot.Practice.System.PostJsonAsync("/api/submissions", slot.Body(slot.NeedsApproval ? 2 : 12), cancellationToken,
            idempotencyKey: Guid.NewGuid().ToString());
        Assert.True(status == HttpStatusCode.Accepted, $"Submitting {slot} answered {(int)status}: {answer}");
        var (id, version) = answer.Read<SubmissionReceipt>();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await using var command = platform.Database("paymentsdb").CreateCommand(
                "SELECT id FROM payments WHERE submission_id = @id AND submission_version = @version AND status = @status");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("version", version);
            command.Parameters.AddWithValue("status", paymentStatus);
            if (await command.ExecuteScalarAsync(cancellationToken) is Guid paymentId) return new Submitted(id, version, paymentId, slot);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{slot}'s payment never became {paymentStatus}.");
            await Task.Delay(250, cancellationToken);
        }
    }
}
