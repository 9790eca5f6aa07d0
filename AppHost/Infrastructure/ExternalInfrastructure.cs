/// <summary>
/// <c>external</c> mode (CI with provided servers, production-like runs): nothing is started.
/// Connection strings come from configuration (<c>ConnectionStrings:identitydb</c>, ... <c>ConnectionStrings:messaging</c>,
/// <c>ConnectionStrings:redis</c>) and SMTP from <c>Smtp:Host</c> and <c>Smtp:Port</c>.
/// </summary>
internal static class ExternalInfrastructure
{
    public static PlatformInfrastructure AddExternalInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var smtpHost = builder.Configuration["Smtp:Host"]
            ?? throw new InvalidOperationException("Infrastructure:Mode is external but Smtp:Host is not configured.");
        var smtpPort = builder.Configuration.GetPort("Smtp:Port", 25).ToString();

        return new PlatformInfrastructure
        {
            Mode = InfrastructureMode.External,
            Databases = PlatformInfrastructure.DatabaseNames.ToDictionary(name => name, name => builder.AddConnectionString(name)),
            Broker = builder.AddConnectionString(PlatformInfrastructure.Messaging),
            Cache = builder.AddConnectionString(PlatformInfrastructure.Redis),
            Mail = new MailServer(ReferenceExpression.Create($"{smtpHost}"), ReferenceExpression.Create($"{smtpPort}"), Server: null),
            CanWaitForServers = false,
        };
    }
}
