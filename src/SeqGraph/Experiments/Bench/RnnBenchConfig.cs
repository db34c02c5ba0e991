using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Bench;

/// <summary>Settings of <c>bench rnn</c>: the workload of bench/pytorch/rnn_palindrome.py (digit palindromes, one-hot, Adam 1e-3, clip 10).</summary>
public sealed record RnnBenchConfig
{
    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; } = RecurrentModel.Lstm;

    /// <summary>Fused or reference layers.</summary>
    public RecurrentImpl Impl { get; init; } = RecurrentImpl.Fused;

    /// <summary>Palindrome length T.</summary>
    public int Length { get; init; } = 20;

    /// <summary>Batch size.</summary>
    public int Batch { get; init; } = 128;

    /// <summary>Hidden units.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Timed steps per repetition.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Repetitions (one figure each).</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Engine threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
