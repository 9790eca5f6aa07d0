using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults;

namespace Platform.Testing;

/// <summary>
/// A problem details response as every service writes it (<c>Problems</c> in ServiceDefaults): the stable
/// <see cref="Code"/> a client acts on and, for <c>validation_failed</c>, the fields that failed.
/// </summary>
public sealed record ProblemBody(string? Type, string? Title, int? Status, string? Detail, string? Code, IReadOnlyList<FieldError>? Errors)
{
    /// <summary>The fields that failed, empty when the problem lists none.</summary>
    public IReadOnlyList<FieldError> FieldErrors => Errors ?? [];
}

public static class ProblemBodyExtensions
{
    // Strict as a client may be: a member written twice (an extension named like a standard member) fails the read.
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { AllowDuplicateProperties = false };

    /// <summary>Reads the response as problem details; fails when the body is not JSON.</summary>
    public static async Task<ProblemBody> ReadProblemAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default) =>
        await response.Content.ReadFromJsonAsync<ProblemBody>(Strict, cancellationToken)
        ?? throw new InvalidOperationException($"{(int)response.StatusCode} with an empty body, not problem details.");
}
