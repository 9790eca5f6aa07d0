using System.Text;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace Gateway.Tests;

/// <summary>Reads JSON into the generated client's models (Platform.Client) with Kiota's JSON parser, as the CLI does.</summary>
public static class ClientModels
{
    private static readonly JsonParseNodeFactory Parser = new();

    public static async Task<T?> ReadAsync<T>(Stream json, ParsableFactory<T> factory, CancellationToken cancellationToken)
        where T : IParsable =>
        (await Parser.GetRootParseNodeAsync("application/json", json, cancellationToken)).GetObjectValue(factory);

    public static async Task<List<T>> ReadListAsync<T>(string json, ParsableFactory<T> factory, CancellationToken cancellationToken)
        where T : IParsable
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return [.. (await Parser.GetRootParseNodeAsync("application/json", stream, cancellationToken)).GetCollectionOfObjectValues(factory)];
    }
}
