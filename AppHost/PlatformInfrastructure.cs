using Microsoft.Extensions.Configuration;

/// <summary>
/// What the services need from the backing servers, whatever the mode: one connection string
/// per database, the broker (<c>messaging</c>), the cache (<c>redis</c>) and an SMTP server.
/// </summary>
internal sealed class PlatformInfrastructure
{
    public const string IdentityDb = "identitydb";
    public const string SubmissionsDb = "submissionsdb";
    public const string PaymentsDb = "paymentsdb";
    public const string NotificationsDb = "notificationsdb";
    public const string Messaging = "messaging";
    public const string Redis = "redis";

    public static readonly string[] DatabaseNames = [IdentityDb, SubmissionsDb, PaymentsDb, NotificationsDb];

    public required InfrastructureMode Mode { get; init; }

    public required IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases { get; init; }

    public required IResourceBuilder<IResourceWithConnectionString> Broker { get; init; }

    public required IResourceBuilder<IResourceWithConnectionString> Cache { get; init; }

    public required MailServer Mail { get; init; }

    /// <summary>False in <c>external</c> mode: provided servers have no lifecycle to wait for.</summary>
    public required bool CanWaitForServers { get; init; }
}

/// <summary>The SMTP server the Notifications service sends through (<c>Smtp__Host</c>, <c>Smtp__Port</c>).</summary>
internal sealed record MailServer(ReferenceExpression Host, ReferenceExpression Port, IResourceBuilder<IResource>? Server);

internal static class PlatformInfrastructureExtensions
{
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder, InfrastructureMode mode) =>
        mode switch
        {
            InfrastructureMode.Local => builder.AddLocalInfrastructure(),
            InfrastructureMode.Containers => builder.AddContainerInfrastructure(),
            InfrastructureMode.External => builder.AddExternalInfrastructure(),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };

    /// <summary>Gives a service a connection string and, where the server has a lifecycle, waits for it to be healthy.</summary>
    public static IResourceBuilder<T> Uses<T>(this IResourceBuilder<T> service, PlatformInfrastructure infrastructure, IResourceBuilder<IResourceWithConnectionString> server)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        service.WithReference(server);
        return infrastructure.CanWaitForServers ? service.WaitFor(server) : service;
    }

    /// <summary>Passes the SMTP settings as <c>Smtp__Host</c> and <c>Smtp__Port</c>.</summary>
    public static IResourceBuilder<T> UsesMail<T>(this IResourceBuilder<T> service, PlatformInfrastructure infrastructure)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        var mail = infrastructure.Mail;
        service.WithEnvironment("Smtp__Host", mail.Host).WithEnvironment("Smtp__Port", mail.Port);
        return mail.Server is { } server && infrastructure.CanWaitForServers ? service.WaitFor(server) : service;
    }

    internal static int GetPort(this IConfiguration configuration, string key, int defaultPort)
    {
        var port = configuration.GetValue(key, defaultPort);
        return port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{key} is {port}; expected a TCP port (1-65535).");
    }
}
