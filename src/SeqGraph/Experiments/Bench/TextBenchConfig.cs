namespace SeqGraph.Experiments.Bench;

/// <summary>Settings of <c>bench text</c>: the char-LSTM of <c>text train</c> (2 layers, T=30, B=64) on a corpus.</summary>
/// <param name="Corpus">The corpus.</param>
/// <param name="Hidden">LSTM units.</param>
/// <param name="Embed">Embedding size.</param>
/// <param name="Steps">Timed training steps.</param>
/// <param name="SampleChars">Characters generated for the sampling figure.</param>
public sealed record TextBenchConfig(
    string Corpus = "", int Hidden = 128, int Embed = 64,
    int Steps = 200, int SampleChars = 20000) : IExperimentConfig
{
    /// <summary>Engine threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Corpus)) throw new ConfigException("--corpus", "--corpus: no file given");
        foreach (var (option, value) in new[] { ("--hidden", Hidden), ("--embed", Embed), ("--steps", Steps), ("--sample-chars", SampleChars), ("--threads", Threads) })
            ConfigException.Positive(option, value);
        // the timed run is text train's: its sizes are checked as text train checks them (memory included)
        new Training.TextTrainConfig { Corpus = Corpus, Hidden = Hidden, Embed = Embed, Steps = Steps, Threads = Threads }.Validate();
        // the sampling figure generates SampleChars characters into one array
        Training.MemoryEstimate.ForSampling(0, SampleChars).Check(null, "--sample-chars", SampleChars);
    }
}
