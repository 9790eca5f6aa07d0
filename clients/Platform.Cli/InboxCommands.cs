using System.CommandLine;
using Platform.Client.Payments.Models;

namespace Platform.Cli;

/// <summary><c>notifications</c>, and <c>approve</c>/<c>decline</c> for commissioners.</summary>
public static class InboxCommands
{
    public static IEnumerable<Command> Create()
    {
        var notifications = new Command("notifications", "Your in-app notifications (* = unread).");
        notifications.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var page = await session.Api.Notifications.Api.Notifications.GetAsync(cancellationToken: ct);
            if (await Cli.PrintJson(parse, page)) return;
            if (page?.Items is not { Count: > 0 } items)
            {
                Console.WriteLine("No notifications.");
                return;
            }
            foreach (var notice in items) Console.WriteLine($"{notice.CreatedAt:yyyy-MM-dd HH:mm}  {(notice.ReadAt is null ? "*" : " ")} {notice.Title}");
        }));

        var reason = new Option<string?>("--reason") { Description = "Why (required to decline; the practice sees it)." };
        var payment = new Argument<Guid>("payment-id") { Description = "The payment awaiting approval (see the submission's status)." };
        var approve = new Command("approve", "Approve a payment awaiting approval (commissioners).") { payment, reason };
        approve.SetAction((parse, ct) => Cli.Run(parse, session => Decide(parse, session, parse.GetValue(payment), "approve", parse.GetValue(reason), ct)));
        var decline = new Command("decline", "Decline a payment awaiting approval, with a reason the practice sees (commissioners).") { payment, reason };
        decline.SetAction((parse, ct) => Cli.Run(parse, session => Decide(parse, session, parse.GetValue(payment), "decline", parse.GetValue(reason), ct)));
        return [notifications, approve, decline];
    }

    private static async Task Decide(ParseResult parse, GatewaySession session, Guid id, string decision, string? reason, CancellationToken ct)
    {
        if (decision == "decline" && string.IsNullOrWhiteSpace(reason))
        {
            throw new CliException("Give a reason to decline: --reason \"...\"", "reason_required", ExitCodes.Usage);
        }
        var result = await session.Api.Payments.Api.Payments[id].Decision.PostAsync(new DecisionRequest { Decision = decision, Reason = reason }, cancellationToken: ct);
        if (await Cli.PrintJson(parse, result)) return;
        Console.WriteLine($"Payment {id}: {result?.Status ?? decision + "d"}.");
    }
}
