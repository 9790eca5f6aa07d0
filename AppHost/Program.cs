// The whole platform as one Aspire model. Each concern lives in its own file:
// InfrastructureModes.cs picks local | containers | external, Dashboard.cs the dashboard's access,
// Infrastructure/*.cs the backing servers for each mode, PlatformServices.cs the services and gateway.
var mode = InfrastructureModes.Resolve(args);

var builder = DistributedApplication.CreateBuilder(Dashboard.CreateOptions(args, mode));

var infrastructure = builder.AddPlatformInfrastructure(mode);
builder.AddPlatformServices(infrastructure);

builder.Build().Run();
