using Identity.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapIdentityEndpoints();
app.Run();

/// <summary>Lets the integration tests start the service with WebApplicationFactory.</summary>
public partial class Program;
