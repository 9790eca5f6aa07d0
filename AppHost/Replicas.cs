using Microsoft.Extensions.Configuration;

/// <summary>
/// How many instances of each service and of the gateway run (<c>Platform:Replicas</c>, 1-8; <c>./platform run --replicas N</c>).
/// Competing consumers share each queue, the outbox dispatchers share rows with <c>SKIP LOCKED</c>, and the jobs that must
/// run once (Identity's expiry scan) take an advisory lock, so nothing else changes with the count.
/// </summary>
internal static class Replicas
{
    public const string ConfigKey = "Platform:Replicas";
    public const int Max = 8;

    public static int From(IConfiguration configuration)
    {
        var text = configuration[ConfigKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }
        return int.TryParse(text, out var replicas) && replicas is >= 1 and <= Max
            ? replicas
            : throw new InvalidOperationException($"{ConfigKey} is '{text}'; expected a whole number from 1 to {Max}.");
    }

    public static IResourceBuilder<ProjectResource> WithPlatformReplicas(this IResourceBuilder<ProjectResource> project, int replicas) =>
        replicas == 1 ? project : project.WithReplicas(replicas);
}
