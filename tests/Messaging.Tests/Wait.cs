namespace Messaging.Tests;

/// <summary>Waits for a condition the test cannot be told about (rows written, consumes finished), for at most 30 s.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
