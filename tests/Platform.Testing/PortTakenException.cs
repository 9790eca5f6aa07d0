using System.Text.RegularExpressions;

namespace Platform.Testing;

/// <summary>A server of the platform under test could not listen on the port picked for it: someone else took it first.</summary>
public sealed partial class PortTakenException(string message) : Exception(message)
{
    /// <summary>How Kestrel, PostgreSQL, Redis and RabbitMQ (Erlang's <c>eaddrinuse</c>) say so.</summary>
    public static bool IsPortTaken(string logLine) => PortTaken().IsMatch(logLine);

    [GeneratedRegex("address already in use|eaddrinuse", RegexOptions.IgnoreCase)]
    private static partial Regex PortTaken();
}
