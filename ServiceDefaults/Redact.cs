using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Platform.ServiceDefaults;

/// <summary>What a log line, span or metric may say about personal data: enough to tell cases apart, never the whole value.</summary>
public static partial class Redact
{
    /// <summary><c>user@a81001.demo</c> becomes <c>u***@a81001.demo</c>: the domain (the practice) stays, the person does not.</summary>
    public static string Email(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return "";
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : $"{address[0]}***{address[at..]}";
    }

    /// <summary>Every email address in <paramref name="text"/> (an exception message, a relay's reply) masked as <see cref="Email"/> does.</summary>
    public static string EmailsIn(string? text) =>
        string.IsNullOrEmpty(text) ? "" : Address().Replace(text, match => Email(match.Value));

    /// <summary>
    /// A query string with every value replaced (<c>?email=Redacted&amp;token=Redacted</c>): query strings carry reset and
    /// invitation tokens and email addresses (the portal's links), which must never reach a span.
    /// </summary>
    public static string Query(string? query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)[0] + "=Redacted");
        return (query.StartsWith('?') ? "?" : "") + string.Join('&', pairs);
    }

    /// <summary>A URL with its query values replaced as <see cref="Query"/> does.</summary>
    public static string Url(Uri? url) =>
        url is null ? "" : url.Query.Length == 0 ? url.ToString() : url.GetLeftPart(UriPartial.Path) + Query(url.Query);

    /// <summary>Marks <paramref name="activity"/> failed with the exception's type and message, addresses masked (no stack trace).</summary>
    public static void RecordError(Activity? activity, Exception exception)
    {
        if (activity is null) return;
        var message = EmailsIn(exception.Message);
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = message,
        }));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Address();
}
