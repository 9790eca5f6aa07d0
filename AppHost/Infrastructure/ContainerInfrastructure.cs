/// <summary>
/// <c>containers</c> mode: the same servers as containers through Docker or Podman, data in named volumes.
/// smtp4dev keeps its local ports (<c>ContainerInfrastructure:SmtpPort</c> 2525, <c>ContainerInfrastructure:SmtpWebPort</c> 5080).
/// </summary>
internal static class ContainerInfrastructure
{
    public const string Section = "ContainerInfrastructure";

    public static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume("platform-postgres-data");
        var databases = PlatformInfrastructure.DatabaseNames.ToDictionary(
            name => name,
            IResourceBuilder<IResourceWithConnectionString> (name) => postgres.AddDatabase(name));

        var broker = builder.AddRabbitMQ(PlatformInfrastructure.Messaging).WithDataVolume("platform-rabbitmq-data");
        var cache = builder.AddRedis(PlatformInfrastructure.Redis).WithDataVolume("platform-redis-data");

        var smtp4dev = builder.AddContainer("smtp4dev", "rnwood/smtp4dev", "v3")
            .WithHttpEndpoint(name: "http", port: builder.Configuration.GetPort($"{Section}:SmtpWebPort", 5080), targetPort: 80)
            .WithEndpoint(name: "smtp", port: builder.Configuration.GetPort($"{Section}:SmtpPort", 2525), targetPort: 25, scheme: "tcp")
            .WithVolume("platform-smtp4dev-data", "/smtp4dev")
            .WithHttpHealthCheck("/api/server", endpointName: "http");
        var smtp = smtp4dev.GetEndpoint("smtp");

        return new PlatformInfrastructure
        {
            Mode = InfrastructureMode.Containers,
            Databases = databases,
            Broker = broker,
            Cache = cache,
            Mail = new MailServer(
                ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Host)}"),
                ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Port)}"),
                smtp4dev),
            CanWaitForServers = true,
        };
    }
}
