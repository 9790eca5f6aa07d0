using Identity.Api;
using Platform.ServiceDefaults;


var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
// v2: the lists of users, clients and credentials are PageOfs; the creating POSTs require Idempotency-Key.
builder.AddPlatformOpenApi("Identity API", "Practices, users, system clients and their credentials, with expiry and self-service recovery. Tokens come from /connect/token.", version: "v2");

var app = builder.Build();
app.UseServiceDefaults();
app.UseRequestGuards();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapIdentityEndpoints();
app.Run();

/// <summary>Lets the integration tests start the service with WebApplicationFactory.</summary>
public partial class Program;
