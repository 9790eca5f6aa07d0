using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Testing;

/// <summary>
/// The whole platform started through the real AppHost in <c>local</c> mode, on free ports (<see cref="LocalPorts"/>) with a
/// fresh data folder: the start-up tests/Platform.Tests, tests/Platform.Resilience and the bench share. It waits until every resource is
/// healthy, keeps what each resource writes to its console and the latest state of each instance, and on dispose stops the
/// platform and deletes the folder (kept with <c>PLATFORM_TESTS_KEEP_DATA=1</c>). A suite changes the model (replicas,
/// settings) in the <c>configure</c> step of <see cref="StartAsync"/> and builds its own clients on <see cref="App"/>.
/// A resource that exits while the platform starts fails the start at once, naming it; when it exited because its port
/// was taken between picking and binding, the platform is started once more on new ports and a new folder.
/// </summary>
public sealed class PlatformUnderTest : IAsyncDisposable
{
    private readonly Type appHost;
    private readonly string dataFolderName;
    private readonly bool dashboard;
    private readonly int? keptLogLines;
    private ConcurrentDictionary<string, ConcurrentQueue<string>> logs = new(StringComparer.Ordinal);
    // The latest state of every instance, by resource id: with replicas one resource ("payments") has several instances
    // ("payments-abcd1234"), and the notification service answers by id.
    private ConcurrentDictionary<string, ResourceEvent> instances = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, TimeSpan> healthyAfter = new(StringComparer.Ordinal);
    private CancellationTokenSource stopping = new();
    private TaskCompletionSource<ResourceEvent> exitedWhileStarting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DistributedApplication? app;

    /// <param name="appHost">The AppHost's generated <c>Projects.*</c> type.</param>
    /// <param name="dataFolderName">Prefix of this run's data folder under the temporary folder.</param>
    /// <param name="replicas">Instances of every service and of the gateway (AppHost setting <c>Platform:Replicas</c>).</param>
    /// <param name="dashboard">Whether the Aspire dashboard runs (the OTLP receiver and trace store; it costs a process). Without
    /// it the services get no OTLP endpoint and export nothing: the AppHost would still point them at one nobody listens on,
    /// and each would fail and retry an export every second.</param>
    /// <param name="keptLogLines">How many of each resource's last console lines are kept; null keeps every line.</param>
    public PlatformUnderTest(Type appHost, string dataFolderName, int replicas, bool dashboard, int? keptLogLines = null)
    {
        this.appHost = appHost;
        this.dashboard = dashboard;
        this.keptLogLines = keptLogLines;
        this.dataFolderName = dataFolderName;
        Replicas = replicas;
        DataPath = NewDataPath();
    }

    public LocalPorts Ports { get; private set; } = LocalPorts.Pick();

    /// <summary>This run's data folder (PostgreSQL, RabbitMQ, Redis, smtp4dev), deleted afterwards.</summary>
    public string DataPath { get; private set; }

    public int Replicas { get; }

    /// <summary>The running application; resource states through <c>App.ResourceNotifications</c>.</summary>
    public DistributedApplication App => app ?? throw NotStarted();

    /// <summary>Every resource of the model that starts with the platform (the dashboard included when it runs).</summary>
    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    /// <summary>From the call to <see cref="StartAsync"/> (the AppHost already built) to every resource healthy.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>For each resource of the model, the time from the call to <see cref="StartAsync"/> until it was healthy.</summary>
    public IReadOnlyDictionary<string, TimeSpan> HealthyAfter => healthyAfter;

    /// <summary>A resource's HTTP address (a service's is its proxied endpoint, balanced over its instances).</summary>
    public Uri HttpEndpoint(string resourceName) => App.GetEndpoint(resourceName, "http");

    /// <summary>The console lines a resource wrote in this run that are kept (all of them unless a limit was given).</summary>
    public IReadOnlyList<string> Logs(string resourceName) =>
        logs.TryGetValue(resourceName, out var lines) ? lines.ToArray() : [];

    /// <summary>The instances of one resource (one per replica), by resource id.</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resourceName) =>
        [.. instances.Values.Where(e => e.Resource.Name == resourceName).OrderBy(e => e.ResourceId, StringComparer.Ordinal)];

    /// <summary>The last console lines of each of these resources, for a failure message.</summary>
    public string DescribeLogs(IEnumerable<string> resourceNames) => string.Join(Environment.NewLine,
        resourceNames.Select(name =>
            $"--- {name} (last lines) ---{Environment.NewLine}{string.Join(Environment.NewLine, Readable(Logs(name)).TakeLast(30))}"));

    /// <summary>Builds the AppHost with this run's ports and folder, lets <paramref name="configure"/> change the model,
    /// starts it and waits until every resource is healthy.</summary>
    public async Task StartAsync(TimeSpan timeout, Action<IDistributedApplicationTestingBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await StartOnceAsync(timeout, configure, cancellationToken);
        }
        catch (PortTakenException taken)
        {
            // Ports are picked free, then bound seconds later by the servers: in between anyone may take one.
            Console.Error.WriteLine($"{taken.Message} Starting again on other ports.");
            await StopAsync();
            (stopping, exitedWhileStarting) = (new(), new(TaskCreationOptions.RunContinuationsAsynchronously));
            (logs, instances, healthyAfter) = (new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            (Ports, DataPath) = (LocalPorts.Pick(), NewDataPath());
            await StartOnceAsync(timeout, configure, cancellationToken);
        }
    }

    private async Task StartOnceAsync(TimeSpan timeout, Action<IDistributedApplicationTestingBuilder>? configure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(timeout);
        string[] args =
        [
            "--Infrastructure:Mode=local",
            $"--LocalInfrastructure:DataPath={DataPath}",
            $"--LocalInfrastructure:PostgresPort={Ports.Postgres}",
            $"--LocalInfrastructure:RabbitMqPort={Ports.RabbitMq}",
            $"--LocalInfrastructure:RedisPort={Ports.Redis}",
            $"--LocalInfrastructure:SmtpPort={Ports.Smtp}",
            $"--LocalInfrastructure:SmtpWebPort={Ports.SmtpWeb}",
            $"--Gateway:Port={Ports.Gateway}",
            $"--Platform:Replicas={Replicas}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(appHost,
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, args, startTimeout.Token);
        if (!dashboard)
        {
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
            }
        }

        configure?.Invoke(builder);

        app = await builder.BuildAsync(startTimeout.Token);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        _ = TrackInstancesAsync(stopping.Token);
        // Watched from before the start: each resource's own moment is recorded (StartAsync returns once all are running).
        foreach (var resource in model.Resources.Where(r => r is not ParameterResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any()))
        {
            _ = RecordHealthyAsync(resource.Name, clock, stopping.Token);
        }

        var started = StartAndWaitUntilHealthyAsync(model, timeout, startTimeout.Token);
        if (await Task.WhenAny(started, exitedWhileStarting.Task) != started)
        {
            await startTimeout.CancelAsync();
            await started.ContinueWith(_ => { }, TaskScheduler.Default); // it ends with the cancellation: nothing of it is left running
            var exited = await exitedWhileStarting.Task;
            var written = await WrittenByAsync(exited.ResourceId);
            var description = $"{exited.ResourceId} exited with code {exited.Snapshot.ExitCode} while the platform started."
                + $"{Environment.NewLine}{string.Join(Environment.NewLine, Readable(written).TakeLast(20).Select(line => $"    {line}"))}";
            throw written.Any(PortTakenException.IsPortTaken) ? new PortTakenException(description) : new InvalidOperationException(description);
        }
        await started;
        StartedIn = clock.Elapsed;
    }

    private async Task StartAndWaitUntilHealthyAsync(DistributedApplicationModel model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await App.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested && !exitedWhileStarting.Task.IsCompleted)
        {
            // Start-up waits for each resource's dependencies to be healthy: say which never were, and what they wrote.
            throw new InvalidOperationException(
                $"The platform did not start within {timeout.TotalMinutes:0} minutes.{Environment.NewLine}{await DescribeInstancesAsync()}", exception);
        }

        // After start, when each resource's process name is known (watching before only finds the model's name, which
        // never logs); each watch begins with what the resource wrote so far.
        var resourceLogs = App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in model.Resources)
        {
            _ = KeepLogsAsync(resourceLogs, resource, stopping.Token);
        }

        // After start the model also holds the dashboard. Resources that only start on demand
        // (Aspire's hidden '<project>-rebuilder' executables) are left out.
        ResourceNames = model.Resources
            .Where(resource => resource is not ParameterResource && !resource.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            .Select(resource => resource.Name)
            .ToList();
        await WaitUntilHealthyAsync(timeout, cancellationToken);
    }

    /// <summary>The builder of one of the AppHost's projects, to change it in the <c>configure</c> step of <see cref="StartAsync"/>.</summary>
    public static IResourceBuilder<ProjectResource> Project(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == name));

    /// <summary>Runs rabbitmqctl against this run's broker (e.g. <c>list_queues name consumers</c>) and returns its output.</summary>
    public async Task<string> RabbitMqCtlAsync(string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ScriptCommand.RunAsync(RepositoryRoot.Script("rabbitmq-ctl.sh"),
            [Path.Combine(DataPath, "rabbitmq"), Ports.RabbitMq.ToString(CultureInfo.InvariantCulture), .. arguments],
            timeout, cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({exitCode}): {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
    }

    /// <summary>Stops the platform and deletes its data folder (kept with <c>PLATFORM_TESTS_KEEP_DATA=1</c>).</summary>
    private async Task StopAsync()
    {
        if (app is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await app.StopAsync(timeout.Token);
            }
            finally
            {
                await app.DisposeAsync();
                await stopping.CancelAsync();
                app = null;
            }
        }

        if (Environment.GetEnvironmentVariable("PLATFORM_TESTS_KEEP_DATA") != "1")
        {
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A server that is still shutting down may hold a file; the folder is under /tmp.
            }
        }
    }

    private string NewDataPath() => Path.Combine(Path.GetTempPath(), $"{dataFolderName}-{Guid.NewGuid():N}");

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var notifications = App.ResourceNotifications;
        var waits = ResourceNames.ToDictionary(name => name, name => notifications.WaitForResourceHealthyAsync(name, cancellationToken));
        try
        {
            await Task.WhenAll(waits.Values);
        }
        catch (Exception exception)
        {
            var pending = waits.Where(wait => !wait.Value.IsCompletedSuccessfully).Select(wait => wait.Key).ToList();
            var reason = exception is OperationCanceledException
                ? $"not healthy within {timeout.TotalMinutes:0} minutes"
                : $"failed to start ({exception.Message})";
            throw new InvalidOperationException(
                $"The platform did not start: {string.Join(", ", pending)} {reason}.{Environment.NewLine}{DescribeLogs(pending)}",
                exception);
        }
    }

    /// <summary>Every instance's state and health, with the last lines of those not healthy: why a start-up hangs.</summary>
    private async Task<string> DescribeInstancesAsync()
    {
        var lines = new List<string>();
        foreach (var instance in instances.Values.OrderBy(e => e.ResourceId, StringComparer.Ordinal))
        {
            var snapshot = instance.Snapshot;
            lines.Add($"{instance.ResourceId}: {snapshot.State?.Text ?? "no state"}, health {snapshot.HealthStatus?.ToString() ?? "none"}, exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            if (snapshot.HealthStatus == HealthStatus.Healthy) continue;
            lines.AddRange(Readable(await WrittenByAsync(instance.ResourceId)).TakeLast(20).Select(line => $"    {line}"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private async Task RecordHealthyAsync(string resourceName, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);
            healthyAfter[resourceName] = clock.Elapsed;
        }
        catch (Exception exception) when (exception is OperationCanceledException or DistributedApplicationException)
        {
            // Stopped, or the resource failed: the start-up's own wait reports which.
        }
    }

    private async Task TrackInstancesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                instances[resourceEvent.ResourceId] = resourceEvent;
                if (StartedIn == TimeSpan.Zero && resourceEvent.Snapshot.ExitCode is { } code and not 0) exitedWhileStarting.TrySetResult(resourceEvent);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KeepLogsAsync(ResourceLoggerService logs, IResource resource, CancellationToken cancellationToken)
    {
        var lines = this.logs.GetOrAdd(resource.Name, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    while (keptLogLines is { } kept && lines.Count > kept && lines.TryDequeue(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>What one instance has written so far (its whole console log, as the resource logger keeps it).</summary>
    private async Task<List<string>> WrittenByAsync(string resourceId)
    {
        var written = new List<string>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resourceId).WithCancellation(enough.Token))
            {
                written.AddRange(batch.Select(line => line.Content));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return written;
    }

    /// <summary>A log without its stack frames, so a failure's message is among its last lines.</summary>
    private static IEnumerable<string> Readable(IEnumerable<string> lines) =>
        lines.Where(line => !line.Contains("   at ", StringComparison.Ordinal) && !line.Contains("--- End of", StringComparison.Ordinal));

    private static InvalidOperationException NotStarted() => new("The platform has not started.");
}
