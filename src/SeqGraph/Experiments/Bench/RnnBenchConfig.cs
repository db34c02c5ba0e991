using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Bench;

/// <summary>Settings of <c>bench rnn</c>: the workload of bench/pytorch/rnn_palindrome.py (digit palindromes, one-hot, Adam 1e-3, clip 10).</summary>
/// <param name="Model">The model.</param>
/// <param name="Impl">Fused or reference layers.</param>
/// <param name="Length">Palindrome length T.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="Hidden">Hidden units.</param>
/// <param name="Steps">Timed steps per repetition.</param>
/// <param name="Repeats">Repetitions (one figure each).</param>
public sealed record RnnBenchConfig(
    RecurrentModel Model = RecurrentModel.Lstm, RecurrentImpl Impl = RecurrentImpl.Fused, int Length = 20,
    int Batch = 128, int Hidden = 128, int Steps = 30,
    int Repeats = 5) : IExperimentConfig
{
    /// <summary>Engine threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    public void Validate()
    {
        foreach (var (option, value) in new[] { ("--batch", Batch), ("--hidden", Hidden), ("--steps", Steps), ("--repeats", Repeats), ("--threads", Threads) })
            ConfigException.Positive(option, value);
        // the timed step is rnn train's on palindromes: its sizes are checked as rnn train checks them (memory included)
        new Rnn.RnnTrainConfig { Task = "palindrome", Length = Length, Model = Model, Impl = Impl, Hidden = Hidden, Batch = Batch, Threads = Threads }.Validate();
    }
}
