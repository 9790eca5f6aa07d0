using System.Collections.Concurrent;

namespace Platform.Messaging;

/// <summary>Names stored in outbox rows: "Namespace.Type, Assembly", without a version so rows survive a redeploy.</summary>
internal static class MessageTypeNames
{
    private static readonly ConcurrentDictionary<string, Type> Resolved = new(StringComparer.Ordinal);

    public static string Of(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type? Resolve(string name)
    {
        if (Resolved.TryGetValue(name, out var type))
        {
            return type;
        }

        type = Type.GetType(name, throwOnError: false);
        if (type is not null)
        {
            Resolved.TryAdd(name, type);
        }

        return type;
    }
}
