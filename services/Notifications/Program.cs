using Notifications.Api;
using Notifications.Api.Apis;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPlatformOpenApi("Notifications API", "The signed-in person's in-app inbox and email preferences, and failed emails for platform admins.");

var app = builder.Build();
app.UseServiceDefaults();
app.UseRequestGuards();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapNotificationsApi();
app.Run();
