using Platform.Resilience.Running;
using Platform.Testing;

namespace Platform.Resilience.Faults;

/// <summary>
/// smtp4dev's SMTP server writes "250 Mail accepted" before it commits the message to its store (Rnwood.SmtpServer's
/// <c>DataVerb</c>: the reply, then <c>CommitMessage</c>, which raises the event that saves it). A message it accepted
/// in the moment before it was stopped can therefore be missing from its mailbox although the platform sent it, once:
/// by SMTP's rules the relay took responsibility with its 250. These are the stand-ins for such messages, taken from the
/// platform's own record of what the relay accepted (<c>outgoing_emails</c>).
/// </summary>
public static class MailLostBySmtp4dev
{
    /// <summary>How long before a stop was asked for a message may have been accepted and not yet stored (a busy machine).</summary>
    public static readonly TimeSpan StoreLag = TimeSpan.FromSeconds(5);

    /// <summary>An email the platform recorded as accepted by the relay.</summary>
    public sealed record SentEmail(string Recipient, string Subject, DateTimeOffset SentAt);

    /// <summary>
    /// For each recipient and subject, the emails the platform sent that smtp4dev does not hold, as stand-ins, when they
    /// were sent while smtp4dev was being stopped (from <see cref="StoreLag"/> before the stop was asked for to the stop).
    /// One missing and sent at any other time is not explained and stays lost; one sent twice is still seen twice.
    /// </summary>
    public static List<Smtp4devMailbox.ReceivedMessage> StandIns(IReadOnlyList<Smtp4devMailbox.ReceivedMessage> received,
        IReadOnlyList<SentEmail> sent, IEnumerable<ResiliencePlatform.Stop> stops, DateTimeOffset since)
    {
        var windows = stops.Where(stop => stop.Resource == "smtp4dev" && stop.Stopped >= since)
            .Select(stop => (From: stop.Requested - StoreLag, To: stop.Stopped)).ToList();
        var standIns = new List<Smtp4devMailbox.ReceivedMessage>();
        if (windows.Count == 0) return standIns;

        foreach (var group in sent.GroupBy(email => (email.Recipient, email.Subject)))
        {
            var held = received.Count(m => m.Subject == group.Key.Subject && m.ReceivedDate >= since - StoreLag
                && m.To.Any(to => to.Contains(group.Key.Recipient, StringComparison.OrdinalIgnoreCase)));
            var missing = group.Count() - held;
            standIns.AddRange(group.Where(email => windows.Any(w => email.SentAt >= w.From && email.SentAt <= w.To))
                .Take(Math.Max(0, missing))
                .Select(email => new Smtp4devMailbox.ReceivedMessage($"lost-by-smtp4dev:{email.SentAt:O}", "", [email.Recipient], email.Subject, email.SentAt)));
        }

        return standIns;
    }
}
