using Portal;


var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPortal();

var app = builder.Build();
app.UsePortal();
app.MapDefaultEndpoints();
app.MapPortal();
app.Run();

public partial class Program;
