using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Identity.Api.Application;

/// <summary>
/// The discovery document names every endpoint at the platform's public address (the issuer, which is the gateway's),
/// not at the address the request reached: asked directly, Identity advertised its own token endpoint, where the
/// gateway's sign-in limits do not apply.
/// </summary>
public sealed class AdvertisePublicEndpoints(IOptions<TokenServerOptions> options) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AdvertisePublicEndpoints>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (options.Value.Issuer is { } issuer) context.BaseUri = issuer;
        return ValueTask.CompletedTask;
    }
}
