using System.Text;

namespace Platform.Testing;

/// <summary>The last lines a server printed, kept so a failure to start can say why.</summary>
internal sealed class OutputLog
{
    private const int MaxLines = 400;
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Enqueue(line);
            if (lines.Count > MaxLines)
            {
                lines.Dequeue();
            }
        }
    }

    public bool Contains(string text)
    {
        lock (gate)
        {
            return lines.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            var builder = new StringBuilder();
            foreach (var line in lines)
            {
                builder.AppendLine(line);
            }

            return builder.ToString();
        }
    }
}
