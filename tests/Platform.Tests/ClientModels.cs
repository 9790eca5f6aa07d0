using System.Text;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace Platform.Tests;

/// <summary>Reads the platform's answers into the generated client's models (Platform.Client) with Kiota's JSON parser, as the typed client does.</summary>
public static class ClientModels
{
    private static readonly JsonParseNodeFactory Parser = new();

    public static async Task<T> ReadAsync<T>(string json, ParsableFactory<T> model, CancellationToken cancellationToken)
        where T : class, IParsable
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return (await Parser.GetRootParseNodeAsync("application/json", stream, cancellationToken)).GetObjectValue(model)
            ?? throw new InvalidOperationException($"Not a {typeof(T).Name}: {json}");
    }
}
