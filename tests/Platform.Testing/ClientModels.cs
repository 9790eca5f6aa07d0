using System.Text;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace Platform.Testing;

/// <summary>Reads JSON into the generated client's models (Platform.Client) with Kiota's JSON parser, as the typed client and the CLI do.</summary>
public static class ClientModels
{
    private static readonly JsonParseNodeFactory Parser = new();

    public static async Task<T?> ReadAsync<T>(Stream json, ParsableFactory<T> model, CancellationToken cancellationToken)
        where T : IParsable =>
        (await Parser.GetRootParseNodeAsync("application/json", json, cancellationToken)).GetObjectValue(model);

    /// <summary>Reads one model, and fails when the JSON is not one.</summary>
    public static async Task<T> ReadAsync<T>(string json, ParsableFactory<T> model, CancellationToken cancellationToken)
        where T : class, IParsable
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await ReadAsync(stream, model, cancellationToken) ?? throw new InvalidOperationException($"Not a {typeof(T).Name}: {json}");
    }

    public static async Task<List<T>> ReadListAsync<T>(string json, ParsableFactory<T> model, CancellationToken cancellationToken)
        where T : IParsable
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return [.. (await Parser.GetRootParseNodeAsync("application/json", stream, cancellationToken)).GetCollectionOfObjectValues(model)];
    }
}
