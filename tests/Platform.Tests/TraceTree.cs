namespace Platform.Tests;

/// <summary>OTLP span kinds, as the trace store reports them.</summary>
public static class SpanKinds
{
    public const int Internal = 1;
    public const int Server = 2;
    public const int Client = 3;
    public const int Producer = 4;
    public const int Consumer = 5;
}

/// <summary>Reading a trace as a tree.</summary>
public static class TraceTree
{
    /// <summary>Spans whose parent is not in the trace: one when the trace is a single tree.</summary>
    public static List<SpanInfo> Roots(IReadOnlyList<SpanInfo> spans)
    {
        var ids = spans.Select(span => span.SpanId).ToHashSet();
        return [.. spans.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId))];
    }

    /// <summary>Writes the tree to the test output, so a failing shape can be read.</summary>
    public static void Print(IReadOnlyList<SpanInfo> spans)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null) return;
        var children = spans.Where(span => span.ParentSpanId is not null).ToLookup(span => span.ParentSpanId!);
        void Write(SpanInfo span, int depth)
        {
            var ids = string.Join(" ", span.Attributes.Where(a => a.Key.Contains('.') && !a.Key.StartsWith("db.", StringComparison.Ordinal))
                .Select(a => $"{a.Key}={a.Value}"));
            output.WriteLine($"{new string(' ', depth * 2)}{span} (kind {span.Kind}) {ids}");
            foreach (var child in children[span.SpanId]) Write(child, depth + 1);
        }
        foreach (var root in Roots(spans)) Write(root, 0);
    }
}
