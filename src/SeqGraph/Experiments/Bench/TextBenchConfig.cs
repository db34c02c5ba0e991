namespace SeqGraph.Experiments.Bench;

/// <summary>Settings of <c>bench text</c>: the char-LSTM of <c>text train</c> (2 layers, T=30, B=64) on a corpus.</summary>
public sealed record TextBenchConfig
{
    /// <summary>The corpus.</summary>
    public string Corpus { get; init; } = "";

    /// <summary>LSTM units.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Embedding size.</summary>
    public int Embed { get; init; } = 64;

    /// <summary>Timed training steps.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Characters generated for the sampling figure.</summary>
    public int SampleChars { get; init; } = 20000;

    /// <summary>Engine threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
