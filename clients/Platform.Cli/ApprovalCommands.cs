using System.CommandLine;
using Platform.Client.Payments.Models;

namespace Platform.Cli;

/// <summary><c>approvals</c>: what awaits the signed-in commissioner's decision (GET /api/payments?status=awaiting-approval).</summary>
public static class ApprovalCommands
{
    private const string AwaitingApproval = "awaiting-approval";
    private const int PageSize = 200;

    public static Command Create()
    {
        var approvals = new Command("approvals",
            "Payments awaiting your decision (commissioners), longest waiting first: practice, service, period, amount, how long it has "
            + "waited, when it is due, payment id. Then: platform-cli approve|decline <payment-id>.");
        approvals.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var waiting = await ReadAllAsync(session, ct);
            if (await Cli.PrintJsonList(parse, waiting)) return;
            if (waiting.Count == 0)
            {
                Console.WriteLine("Nothing awaits your decision.");
                return;
            }
            var now = Cli.Clock.GetUtcNow();
            Console.WriteLine($"{"PRACTICE",-8} {"SERVICE",-8} {"PERIOD",-9} {"AMOUNT",13}  {"WAITING",-8} {"DUE",-16}  PAYMENT");
            foreach (var payment in waiting.OrderBy(WaitingSince))
            {
                var due = payment.DecideBy is { } decideBy ? $"{decideBy.UtcDateTime:yyyy-MM-dd HH:mm}" : "-";
                Console.WriteLine($"{payment.PracticeOds,-8} {payment.ServiceCode,-8} {payment.Period,-9} {$"£{payment.Amount:#,0.00}",13}  "
                    + $"{Ages.Format(now - WaitingSince(payment)),-8} {due,-16}  {payment.Id}");
            }
            Console.WriteLine($"{waiting.Count} awaiting your decision. Decide: {session.Command} approve <payment-id>, "
                + $"or {session.Command} decline <payment-id> --reason \"...\"");
        }));
        return approvals;
    }

    /// <summary>When it started to wait: its move to awaiting-approval, else when it was calculated.</summary>
    public static DateTimeOffset WaitingSince(PaymentView payment) =>
        payment.History?.Where(step => step.Status == AwaitingApproval).Select(step => step.At).FirstOrDefault()
            ?? payment.CalculatedAt ?? DateTimeOffset.MinValue;

    private static async Task<List<PaymentView>> ReadAllAsync(GatewaySession session, CancellationToken ct)
    {
        var all = new List<PaymentView>();
        for (var page = 1; ; page++)
        {
            var batch = await session.Api.Payments.Api.Payments.GetAsync(request =>
            {
                request.QueryParameters.Status = AwaitingApproval;
                request.QueryParameters.Page = page;
                request.QueryParameters.PageSize = PageSize;
            }, ct);
            var items = batch?.Items ?? [];
            all.AddRange(items);
            if (items.Count < PageSize || all.Count >= (batch?.Total ?? 0)) return all;
        }
    }
}
