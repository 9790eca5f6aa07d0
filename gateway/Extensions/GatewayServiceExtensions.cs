namespace Gateway.Extensions;

public static class GatewayServiceExtensions
{
    /// <summary>YARP with routes from configuration and destinations resolved by service discovery.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }
}
