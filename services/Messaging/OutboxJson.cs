using System.Text.Json;
using MassTransit.Serialization;

namespace Platform.Messaging;

/// <summary>Outbox bodies use MassTransit's own JSON settings, so a message round-trips the way it would on the wire.</summary>
internal static class OutboxJson
{
    private static JsonSerializerOptions Options => SystemTextJsonMessageSerializer.Options;

    public static string Serialize(object message, Type type) => JsonSerializer.Serialize(message, type, Options);

    public static object Deserialize(string body, Type type) =>
        JsonSerializer.Deserialize(body, type, Options) ?? throw new JsonException($"The outbox body for {type.Name} is null.");
}
