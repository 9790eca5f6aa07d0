using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Submissions.Api.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SubmissionsDbContext>
{
    public SubmissionsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SubmissionsDbContext>()
            .UseNpgsql("Host=localhost;Database=submissionsdb")
            .UseSnakeCaseNamingConvention()
            .Options);
}
