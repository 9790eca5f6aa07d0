using MassTransit;

namespace Platform.Messaging;

/// <summary>
/// Counts consume retries and the messages given up on. The bus has no delayed redelivery, so a message whose last retry
/// faulted is the one MassTransit moves to <c>&lt;queue&gt;_error</c>.
/// </summary>
internal sealed class RetryMetricsObserver(MessagingMetrics metrics, string service) : IRetryObserver
{
    public Task PostCreate<T>(RetryPolicyContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task PostFault<T>(RetryContext<T> context) where T : class, PipeContext
    {
        var (queue, messageType) = Describe(context.Context);
        metrics.Retried(service, queue, messageType);
        return Task.CompletedTask;
    }

    public Task PreRetry<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task RetryFault<T>(RetryContext<T> context) where T : class, PipeContext
    {
        var (queue, messageType) = Describe(context.Context);
        metrics.DeadLettered(service, queue, messageType);
        return Task.CompletedTask;
    }

    public Task RetryComplete<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    private static (string Queue, string MessageType) Describe<T>(T context) where T : class, PipeContext
    {
        var queue = context is ConsumeContext consume ? consume.ReceiveContext.InputAddress?.AbsolutePath.Trim('/') : null;
        var messageType = typeof(T).IsGenericType ? typeof(T).GetGenericArguments()[^1].Name : "unknown";
        return (string.IsNullOrEmpty(queue) ? "unknown" : queue, messageType);
    }
}
