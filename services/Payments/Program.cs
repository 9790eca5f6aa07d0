using Payments.Api.Apis;
using Payments.Api;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPlatformOpenApi("Payments API", "Payment rules, calculated payments line by line, commissioner approval and ledger posting.");

var app = builder.Build();
app.UseServiceDefaults();
app.UseControlCharacterGuard();
app.UseDuplicatePropertyGuard();
app.MapDefaultEndpoints();
app.MapPlatformOpenApi();
app.MapPaymentsApi();
app.Run();
