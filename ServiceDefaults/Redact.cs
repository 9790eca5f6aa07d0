namespace Microsoft.Extensions.Hosting;

/// <summary>What a log line, span or metric may say about personal data: enough to tell cases apart, never the whole value.</summary>
public static class Redact
{
    /// <summary><c>user@a81001.demo</c> becomes <c>u***@a81001.demo</c>: the domain (the practice) stays, the person does not.</summary>
    public static string Email(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return "";
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : $"{address[0]}***{address[at..]}";
    }
}
