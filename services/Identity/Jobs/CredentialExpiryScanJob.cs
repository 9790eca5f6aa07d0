using Identity.Api.Application;
using Identity.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace Identity.Api.Jobs;

/// <summary>Runs the <see cref="CredentialExpiryScanner"/> at start-up and then every <see cref="ExpiryScanOptions.Interval"/>.</summary>
public sealed class CredentialExpiryScanJob(
    IServiceScopeFactory scopes,
    IOptions<ExpiryScanOptions> options,
    TimeProvider time,
    ILogger<CredentialExpiryScanJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                using var activity = CredentialTelemetry.StartScan();
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<CredentialExpiryScanner>().ScanAsync(stoppingToken);
                activity?.SetTag("credential.notices_published", result.NoticesPublished);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Credential expiry scan failed; trying again in {Interval}", options.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
