using Payments.Api;
using Payments.Api.Apis;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
// v2: GET /api/payments answers a PageOf (items, page, pageSize, total), no longer a bare array with X-Total-Count.
builder.AddPlatformOpenApi("Payments API", "Payment rules, calculated payments line by line, commissioner approval and ledger posting.", version: "v2");

var app = builder.Build();
app.UseServiceDefaults();
app.UseRequestGuards();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapPaymentsApi();
app.Run();
