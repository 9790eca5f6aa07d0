using Gateway;
using Gateway.Routing;


var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGateway();
app.MapDefaultEndpoints();
app.MapGatewayDocs();
app.MapGatewayProxy();
app.MapUnknownApiPaths();
app.Run();

public partial class Program;
