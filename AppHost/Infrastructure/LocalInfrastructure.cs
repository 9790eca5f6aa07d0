/// <summary>
/// <c>local</c> mode: PostgreSQL 15, RabbitMQ and Redis from Debian's packages and smtp4dev from the
/// local dotnet tools, each started by the AppHost as an executable through <c>scripts/local/*.sh</c>,
/// with its data in one folder that survives restarts (<c>./platform reset</c> wipes it).
/// </summary>
internal static class LocalInfrastructure
{
    // scripts/local/postgres.sh creates this superuser and password on first use (loopback only).
    private const string PostgresCredentials = "Username=postgres;Password=postgres";

    public static PlatformInfrastructure AddLocalInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var root = RepositoryRoot(builder);
        var options = LocalInfrastructureOptions.From(builder.Configuration, root);
        CreateDataFolder(options.DataPath);

        var databases = builder.AddLocalPostgres(root, options);
        var broker = builder.AddLocalRabbitMq(root, options);
        var cache = builder.AddLocalRedis(root, options);
        var mail = builder.AddLocalSmtp4dev(root, options);

        return new PlatformInfrastructure
        {
            Mode = InfrastructureMode.Local,
            Databases = databases,
            Broker = broker,
            Cache = cache,
            Mail = mail,
            CanWaitForServers = true,
        };
    }

    private static Dictionary<string, IResourceBuilder<IResourceWithConnectionString>> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string root, LocalInfrastructureOptions options)
    {
        var port = options.PostgresPort;
        var postgres = builder
            .AddExecutable("postgres", "bash", root,
                ["scripts/local/postgres.sh", options.Folder("postgres"), port.ToString(), .. PlatformInfrastructure.DatabaseNames])
            .WithEndpoint(name: "tcp", port: port, targetPort: port, scheme: "tcp", isProxied: false)
            .WithPostgresReadiness(PostgresConnectionString(port, "postgres"));

        var portExpression = postgres.GetEndpoint("tcp").Property(EndpointProperty.Port);
        return PlatformInfrastructure.DatabaseNames.ToDictionary(
            name => name,
            IResourceBuilder<IResourceWithConnectionString> (name) => builder
                .AddConnectionString(name, ReferenceExpression.Create(
                    $"Host=127.0.0.1;Port={portExpression};{PostgresCredentials};Database={name}"))
                .WithParentRelationship(postgres)
                // Healthy once the database exists: postgres.sh creates it after the server answers.
                .WithPostgresReadiness(PostgresConnectionString(port, name)));
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string root, LocalInfrastructureOptions options)
    {
        var uri = $"amqp://guest:guest@127.0.0.1:{options.RabbitMqPort}/";
        return builder
            .AddResource(new LocalServerResource(PlatformInfrastructure.Messaging, "bash", root, ReferenceExpression.Create($"{uri}")))
            .WithArgs("scripts/local/rabbitmq.sh", options.Folder("rabbitmq"), options.RabbitMqPort.ToString())
            .WithEndpoint(name: "tcp", port: options.RabbitMqPort, targetPort: options.RabbitMqPort, scheme: "amqp", isProxied: false)
            .WithRabbitMqReadiness(uri);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string root, LocalInfrastructureOptions options)
    {
        var connectionString = $"127.0.0.1:{options.RedisPort}";
        return builder
            .AddResource(new LocalServerResource(PlatformInfrastructure.Redis, "bash", root, ReferenceExpression.Create($"{connectionString}")))
            .WithArgs("scripts/local/redis.sh", options.Folder("redis"), options.RedisPort.ToString())
            .WithEndpoint(name: "tcp", port: options.RedisPort, targetPort: options.RedisPort, scheme: "tcp", isProxied: false)
            .WithRedisReadiness(connectionString);
    }

    private static MailServer AddLocalSmtp4dev(this IDistributedApplicationBuilder builder, string root, LocalInfrastructureOptions options)
    {
        var smtp4dev = builder
            .AddExecutable("smtp4dev", "bash", root,
                "scripts/local/smtp4dev.sh", options.Folder("smtp4dev"), options.SmtpPort.ToString(), options.SmtpWebPort.ToString())
            .WithHttpEndpoint(name: "http", port: options.SmtpWebPort, targetPort: options.SmtpWebPort, isProxied: false)
            .WithEndpoint(name: "smtp", port: options.SmtpPort, targetPort: options.SmtpPort, scheme: "tcp", isProxied: false)
            .WithSmtp4devReadiness(options.SmtpWebPort);

        var smtp = smtp4dev.GetEndpoint("smtp");
        return new MailServer(
            ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Host)}"),
            ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Port)}"),
            smtp4dev);
    }

    private static string PostgresConnectionString(int port, string database) =>
        $"Host=127.0.0.1;Port={port};{PostgresCredentials};Database={database};Timeout=5";

    /// <summary>The AppHost project lives one folder below the repository root.</summary>
    private static string RepositoryRoot(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

    private static void CreateDataFolder(string dataPath)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataPath);
            return;
        }

        // Servers run as their own users (PostgreSQL as 'postgres' when we are root): they must be able to enter it.
        const UnixFileMode Enter = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        var folder = Directory.CreateDirectory(dataPath, Enter);
        if ((folder.UnixFileMode & Enter) != Enter)
        {
            folder.UnixFileMode |= Enter;
        }
    }
}
