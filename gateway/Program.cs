using Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseTraceIdHeader();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.Run();
