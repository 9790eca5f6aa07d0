using Microsoft.Extensions.Logging;

namespace Messaging.Tests;

/// <summary>Sends a test host's logs to the test's output, where a failing test shows them.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper? output, string hostName) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, $"{hostName} {categoryName}");

    public void Dispose()
    {
    }

    private sealed class OutputLogger(ITestOutputHelper? output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => output is not null && logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output!.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished; its output is closed.
            }
        }
    }
}
