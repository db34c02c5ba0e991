namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text sample</c> generated.</summary>
public sealed record TextSampleResult
{
    /// <summary>The samples, each with its prompt (or first character) in front.</summary>
    public string[] Samples { get; init; } = Array.Empty<string>();
    /// <summary>Training steps behind the checkpoint.</summary>
    public int Step { get; init; }
    /// <summary>The temperature used.</summary>
    public float Temperature { get; init; }
    /// <summary>The top-k used.</summary>
    public int TopK { get; init; }
    /// <summary>The seed used.</summary>
    public ulong Seed { get; init; }
    /// <summary>Generated characters per second.</summary>
    public double CharsPerSecond { get; init; }
}
