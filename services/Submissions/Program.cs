using Platform.ServiceDefaults;
using Submissions.Api.Apis;
using Submissions.Api;
using Submissions.Api.Application;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPlatformOpenApi("Submissions API", "Submit achievement data with receipts, amend it, and follow each submission to its payment outcome.");

var app = builder.Build();
app.UseServiceDefaults();
app.UseControlCharacterGuard();
app.UseDuplicatePropertyGuard();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapSubmissionsApi();
app.Run();
