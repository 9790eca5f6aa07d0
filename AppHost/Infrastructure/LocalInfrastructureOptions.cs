using Microsoft.Extensions.Configuration;

/// <summary>
/// Ports and the data folder of the <c>local</c> mode (section <c>LocalInfrastructure</c>).
/// Defaults are fixed for a developer's run; tests override every one of them.
/// </summary>
internal sealed record LocalInfrastructureOptions(
    string DataPath,
    int PostgresPort,
    int RabbitMqPort,
    int RedisPort,
    int SmtpPort,
    int SmtpWebPort)
{
    public const string Section = "LocalInfrastructure";

    /// <summary>Relative to the repository root when not absolute; git-ignored.</summary>
    public const string DefaultDataPath = ".local/data";

    public static LocalInfrastructureOptions From(IConfiguration configuration, string repositoryRoot)
    {
        var section = configuration.GetSection(Section);
        var dataPath = section["DataPath"];
        return new LocalInfrastructureOptions(
            DataPath: Path.GetFullPath(string.IsNullOrWhiteSpace(dataPath) ? DefaultDataPath : dataPath, repositoryRoot),
            PostgresPort: configuration.GetPort($"{Section}:PostgresPort", 55432),
            // RabbitMQ also uses PORT+10000 (PORT-30000 from 55000 up) for Erlang distribution: 45672 -> 55672.
            RabbitMqPort: configuration.GetPort($"{Section}:RabbitMqPort", 45672),
            RedisPort: configuration.GetPort($"{Section}:RedisPort", 56379),
            SmtpPort: configuration.GetPort($"{Section}:SmtpPort", 2525),
            SmtpWebPort: configuration.GetPort($"{Section}:SmtpWebPort", 5080));
    }

    public string Folder(string server) => Path.Combine(DataPath, server);
}
