using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Platform.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Data;

/// <summary>
/// At start-up, after the migrations: loads (or creates) the token server's keys, registers the first-party clients
/// and, when <c>Platform:DemoData</c> is true, the demo practices and users. Replicas take turns (advisory lock).
/// </summary>
public sealed class StartupData(
    IServiceScopeFactory scopes,
    IOptionsMonitor<OpenIddictServerOptions> serverOptions,
    IOptions<TokenServerOptions> tokenOptions,
    IConfiguration configuration,
    ILogger<StartupData> logger) : IHostedService
{
    private const long SeedLockId = 0x494453454544; // "IDSEED"

    public const string CliClientId = "platform-cli";
    public const string PortalClientId = "practice-portal";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();

        await using (await new PostgresReplicaLock(db.Database.GetConnectionString()!, SeedLockId).TakeAsync(cancellationToken))
        {
            _ = serverOptions.CurrentValue; // loads or generates the signing and encryption certificates now, not on the first request
            await RegisterFirstPartyClientsAsync(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), cancellationToken);
            if (configuration.GetValue<bool>(DemoData.ConfigurationKey))
            {
                await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RegisterFirstPartyClientsAsync(IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var cli = PublicClient(CliClientId, "Platform CLI");
        var portal = PublicClient(PortalClientId, "Practice portal");
        portal.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code]);
        portal.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        foreach (var uri in tokenOptions.Value.PortalRedirectUris)
        {
            portal.RedirectUris.Add(new Uri(uri));
        }

        foreach (var descriptor in new[] { cli, portal })
        {
            var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                logger.LogInformation("Registered client {ClientId}", descriptor.ClientId);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }
    }

    private static OpenIddictApplicationDescriptor PublicClient(string clientId, string name) => new()
    {
        ClientId = clientId,
        ClientType = ClientTypes.Public,
        DisplayName = name,
        Permissions =
        {
            Permissions.Endpoints.Token,
            Permissions.GrantTypes.Password,
            Permissions.GrantTypes.RefreshToken,
            Permissions.Scopes.Email,
            Permissions.Scopes.Profile,
            Permissions.Scopes.Roles,
            Permissions.Prefixes.Scope + "platform-api",
        },
    };
}
