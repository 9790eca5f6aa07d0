using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Platform.Messaging;

/// <summary>
/// The domain ids a message carries, as span attributes, so a trace can be found and read by them: <c>submission.id</c>,
/// <c>submission.version</c>, <c>practice.ods</c>, <c>payment.id</c>, <c>credential.id</c>, <c>credential.kind</c>,
/// <c>credential.version</c> and <c>credential.threshold_days</c>. Only these named properties are read, never free text,
/// addresses or links.
/// </summary>
public static class MessageTags
{
    private static readonly ConcurrentDictionary<Type, (string Tag, PropertyInfo Property)[]> Cache = new();

    public static void Apply(Activity? activity, object? message)
    {
        if (activity is not { IsAllDataRequested: true } || message is null) return;
        foreach (var (tag, property) in Cache.GetOrAdd(message.GetType(), Find))
        {
            if (property.GetValue(message) is { } value) activity.SetTag(tag, value is Guid id ? id.ToString("D") : value);
        }
    }

    private static (string, PropertyInfo)[] Find(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var isCredential = properties.ContainsKey("CredentialId");
        var isSubmission = properties.ContainsKey("SubmissionId");
        var names = new List<(string Tag, string Property)>
        {
            ("submission.id", "SubmissionId"),
            ("submission.version", "SubmissionVersion"),
            ("practice.ods", "PracticeOds"),
            ("payment.id", "PaymentId"),
            ("credential.id", "CredentialId"),
            ("credential.threshold_days", "ThresholdDays"),
        };
        if (isSubmission && !properties.ContainsKey("SubmissionVersion")) names.Add(("submission.version", "Version"));
        if (isCredential)
        {
            names.Add(("credential.kind", "Kind"));
            names.Add(("credential.version", "Version"));
        }
        return [.. names.Where(n => properties.ContainsKey(n.Property)).Select(n => (n.Tag, properties[n.Property]))];
    }
}
