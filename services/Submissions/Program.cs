using Platform.ServiceDefaults;
using Submissions.Api;
using Submissions.Api.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
// v2: Idempotency-Key is required and documented as such, and a key reused with a different body is 422 (was 409).
builder.AddPlatformOpenApi("Submissions API", "Submit achievement data with receipts, amend it, and follow each submission to its payment outcome.", version: "v2");

var app = builder.Build();
app.UseServiceDefaults();
app.UseRequestGuards();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapSubmissionsApi();
app.Run();
