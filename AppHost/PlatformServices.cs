/// <summary>
/// The four services, the practice portal and the gateway. Each service gets its own database, the broker and the cache,
/// waits until they are healthy, and is itself healthy when <c>/health/ready</c> answers.
/// The gateway listens on a fixed port (<c>Gateway:Port</c>, default 8080) and finds the services
/// by name (<c>identity</c>, <c>submissions</c>, <c>payments</c>, <c>notifications</c>).
/// <c>Platform:Replicas</c> (default 1) runs that many instances of each service and of the gateway; every endpoint is
/// proxied, so the gateway's fixed port and each service's name balance across the instances.
/// </summary>
internal static class PlatformServices
{
    public const string GatewayPortKey = "Gateway:Port";
    public const int DefaultGatewayPort = 8080;

    public static void AddPlatformServices(this IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        var replicas = Replicas.From(builder.Configuration);
        var identity = builder.AddService<Projects.Identity_Api>("identity", infrastructure, PlatformInfrastructure.IdentityDb);
        if (infrastructure.Mode == InfrastructureMode.Local)
        {
            // Demo practices and users for a developer's run (see README "Demo logins").
            identity.WithEnvironment("Platform__DemoData", "true");
        }

        var submissions = builder.AddService<Projects.Submissions_Api>("submissions", infrastructure, PlatformInfrastructure.SubmissionsDb);
        var payments = builder.AddService<Projects.Payments_Api>("payments", infrastructure, PlatformInfrastructure.PaymentsDb);
        var notifications = builder.AddService<Projects.Notifications_Api>("notifications", infrastructure, PlatformInfrastructure.NotificationsDb)
            .UsesMail(infrastructure);

        // The practice portal (people in a browser) keeps its sessions' key ring in the cache; the gateway serves it.
        var portal = builder.AddProject<Projects.Portal>("portal", launchProfileName: null)
            .WithHttpEndpoint(name: "http")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health/ready")
            .Uses(infrastructure, infrastructure.Cache);

        var gateway = builder.AddProject<Projects.Gateway>("gateway", launchProfileName: null)
            .WithHttpEndpoint(name: "http", port: builder.Configuration.GetPort(GatewayPortKey, DefaultGatewayPort))
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health/ready")
            .WithExternalHttpEndpoints()
            // Locally the portal and every client are on this machine: their X-Forwarded-For is believed from loopback.
            .WithEnvironment("Gateway__ForwardedHeaders__KnownNetworks__0", "127.0.0.0/8")
            .WithEnvironment("Gateway__ForwardedHeaders__KnownNetworks__1", "::1/128")
            .Uses(infrastructure, infrastructure.Cache)
            .WithReference(identity).WaitFor(identity)
            .WithReference(submissions).WaitFor(submissions)
            .WithReference(payments).WaitFor(payments)
            .WithReference(notifications).WaitFor(notifications)
            .WithReference(portal).WaitFor(portal);

        foreach (var project in new[] { identity, submissions, payments, notifications, portal, gateway })
        {
            project.WithPlatformReplicas(replicas).WithRuntimeMemorySettings();
        }

        // RabbitMQ drops an event published before any queue is bound to its exchange. Identity publishes at
        // start-up (demo data, the first expiry scan), so on a fresh broker it starts after its consumers have
        // declared their queues; from then on the queues are durable and keep what arrives while a service is down.
        identity.WaitFor(submissions).WaitFor(payments).WaitFor(notifications);

        // Links in emails point at the gateway, the platform's public address.
        notifications.WithEnvironment("Notifications__Messages__PortalBaseUrl", gateway.GetEndpoint("http"));

        PlatformAuthentication.AddPlatformAuthentication(identity, gateway, [identity, submissions, payments, notifications, gateway]);
        PlatformAuthentication.AddPortalSignIn(identity, gateway, portal);
    }

    /// <summary>
    /// One service: random proxied HTTP port (shared by its replicas), its database, <c>messaging</c> and <c>redis</c>.
    /// </summary>
    private static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder, string name, PlatformInfrastructure infrastructure, string database)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(name: "http")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health/ready")
            .Uses(infrastructure, infrastructure.Databases[database])
            .Uses(infrastructure, infrastructure.Broker)
            .Uses(infrastructure, infrastructure.Cache);
}
