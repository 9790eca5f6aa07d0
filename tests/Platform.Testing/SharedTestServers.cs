using System.Globalization;

namespace Platform.Testing;

/// <summary>
/// The PostgreSQL, RabbitMQ and Redis that a full run starts once for all the services' test projects
/// (scripts/test-servers.sh), named by the file in <c>PLATFORM_TEST_SERVERS</c>; without it each project starts its own.
/// </summary>
public sealed record SharedTestServers(int PostgresPort, int RabbitMqPort, string RabbitMqData, int RedisPort)
{
    public const string Variable = "PLATFORM_TEST_SERVERS";

    public static SharedTestServers? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return null;
        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        int Port(string name) => int.Parse(values[name], CultureInfo.InvariantCulture);
        return new SharedTestServers(Port("postgres_port"), Port("rabbitmq_port"), values["rabbitmq_data"], Port("redis_port"));
    }
}
