using System.Text.Json;
using Platform.Testing;

namespace Platform.Resilience.Tenancy;

/// <summary>
/// A body as the platform answered it: its text (empty when there was none), read as one of the records in
/// <c>ApiRecords.cs</c> where a test needs its members, and for a refusal (4xx) that is a JSON object, the problem details
/// it carries (<see cref="ProblemBody"/>; the token endpoint's OAuth errors carry Identity's <c>code</c> the same way).
/// </summary>
public sealed record ApiBody(string Text, ProblemBody? Problem)
{
    // Web defaults (camelCase), and as strict as reading the members by name: a member a record requires must be there.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The refusal's stable code; null when the answer is not a problem with one.</summary>
    public string? Code => Problem?.Code;

    /// <summary>Reads the body as <typeparamref name="T"/>; fails when it is not one.</summary>
    public T Read<T>() => JsonSerializer.Deserialize<T>(Text, Json) ?? throw new InvalidOperationException($"Not a {typeof(T).Name}: {Text}");

    public override string ToString() => Text;
}
