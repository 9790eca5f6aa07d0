// ./platform bench [scenario...] [--quick] [--readme]: see bench/README.md.
using Platform.Bench.Scenarios;

var root = Platform.Testing.RepositoryRoot.Find();
BenchOptions options;
try
{
    options = BenchOptions.Parse(args, root);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ReadmeOnly)
{
    ReadmeWriter.Rewrite(root);
    Console.WriteLine("bench/README.md rewritten from bench/results/*.json.");
    return 0;
}

using var cancellation = new CancellationTokenSource(options.Quick ? TimeSpan.FromMinutes(8) : TimeSpan.FromMinutes(40));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var context = new BenchContext(options);
BenchContext.Log($"{options.CommandLine}: {string.Join(", ", options.Scenarios)} ({options.Mode}) on {context.Machine}; load {LoadAverage.Read()}");
var failed = await new BenchRun(context).RunAsync(cancellation.Token);

if (!options.Quick && failed.Count < options.Scenarios.Count)
{
    ReadmeWriter.Rewrite(root);
    BenchContext.Log("bench/README.md results table rewritten.");
}

if (failed.Count > 0)
{
    Console.Error.WriteLine($"The harness failed in: {string.Join(", ", failed)} (see above). A missed goal is not a failure; an error is.");
    return 1;
}

return 0;
