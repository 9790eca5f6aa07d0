using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Kiota.Abstractions.Serialization;
using Platform.Client.Submissions.Models;

namespace Platform.Cli;

/// <summary><c>submit</c> and <c>status [--follow]</c>.</summary>
public static class SubmissionCommands
{
    private static readonly string[] FailedOutcomes = ["rejected", "declined", "payment-failed", "superseded"];

    public static IEnumerable<Command> Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The submission: .json (the API body) or .csv (practiceOds,serviceCode,period,indicator,value)." };
        var key = new Option<string?>("--idempotency-key") { Description = "Resending with the same key never submits twice (default: from the file's content)." };
        var submit = new Command("submit", "Submit achievement data; prints the receipt.") { file, key };
        submit.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var json = SubmissionFiles.ToJson(parse.GetValue(file)!.FullName);
            var body = await KiotaJsonSerializer.DeserializeAsync(json, SubmissionRequest.CreateFromDiscriminatorValue, ct);
            var idempotencyKey = parse.GetValue(key) ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..32];
            var receipt = await session.Api.Submissions.Api.Submissions.PostAsync(body!,
                request => request.Headers.Add("Idempotency-Key", idempotencyKey), ct);
            if (await Cli.PrintJson(parse, receipt) || receipt is null) return;
            Console.WriteLine($"Submission {receipt.Id} received: {receipt.Status}, version {receipt.Version}.");
            if (receipt.TraceId is { } traceId) Console.WriteLine($"Trace id: {traceId}");
            Console.WriteLine($"Follow it: platform-cli status {receipt.Id} --follow");
        }));

        var id = new Argument<Guid>("id") { Description = "The submission id." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing status changes (server-sent events) until a final status." };
        var status = new Command("status", "A submission's status and timeline.") { id, follow };
        status.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var submissionId = parse.GetValue(id);
            var final = parse.GetValue(follow)
                ? await SubmissionFollow.RunAsync(session, submissionId, parse.GetValue(Cli.Json), ct)
                : await Show(parse, session, submissionId, ct);
            if (final is not null && FailedOutcomes.Contains(final))
            {
                throw new CliException($"Submission {submissionId} ended {final}.", final, ExitCodes.SubmissionFailed);
            }
        }));
        return [submit, status];
    }

    private static async Task<string?> Show(ParseResult parse, GatewaySession session, Guid id, CancellationToken ct)
    {
        var submission = await session.Api.Submissions.Api.Submissions[id].GetAsync(cancellationToken: ct);
        if (await Cli.PrintJson(parse, submission) || submission is null) return null;
        Console.WriteLine($"{id}: {submission.Status} ({submission.PracticeOds} {submission.ServiceCode} {submission.Period}, version {submission.Version})");
        foreach (var entry in submission.Timeline ?? []) Console.WriteLine($"  {entry.At:yyyy-MM-dd HH:mm:ss}  {entry.Status,-18} {entry.Detail}");
        if (submission.Payment is { } payment)
        {
            Console.WriteLine($"Payment {payment.PaymentId}: £{payment.Amount:#,0.00} {payment.Outcome}"
                + (payment.RemittanceReference is { } reference ? $", remittance {reference}" : ""));
            if (payment.PaymentId is { } paymentId) await ShowDecisionAsync(session, paymentId, ct);
        }
        return null;
    }

    /// <summary>Who approved or declined the payment, by name where the platform recorded it (older decisions show the user id).</summary>
    private static async Task ShowDecisionAsync(GatewaySession session, Guid paymentId, CancellationToken ct)
    {
        Platform.Client.Payments.Models.PaymentView? payment;
        try
        {
            payment = await session.Api.Payments.Api.Payments[paymentId].GetAsync(cancellationToken: ct);
        }
        catch (CliException exception) when (exception.ExitCode is ExitCodes.NotFound or ExitCodes.Rejected)
        {
            return; // not visible to this caller: the submission's own view is all there is
        }
        if (payment?.DecidedBy is not { } by) return;
        var verb = payment.Status == "declined" ? "Declined" : "Approved";
        Console.WriteLine($"{verb} by {payment.DecidedByName ?? by} at {payment.DecidedAt:yyyy-MM-dd HH:mm} UTC"
            + (payment.DecisionReason is { } reason ? $": {reason}" : "."));
    }
}
