using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>
/// The state of a character-level training run and its step: a <see cref="CharLstm"/>, Adam,
/// StepLR, the generator of the data windows, the step count and the recent per-step losses and
/// accuracies. Each step draws a fresh batch of random windows (no state carried between them:
/// every window starts from the zero state), runs teacher forcing with the mean cross-entropy over
/// all T steps, clips the global gradient norm and updates. Everything a step depends on is saved
/// by <see cref="TextCheckpoint"/>, so a resumed run continues bit for bit.
/// </summary>
public sealed class TextTrainer
{
    /// <summary>Per-step figures kept for running means (the acceptance criterion averages the last 500).</summary>
    public const int RecentWindow = 500;

    private readonly int[] _inputs, _targets;
    private readonly List<Tensor> _params;
    private readonly Queue<(double Loss, double Accuracy)> _recent = new();

    /// <summary>Settings.</summary>
    public TextTrainConfig Config { get; }

    /// <summary>The training text.</summary>
    public TextCorpus Corpus { get; }

    /// <summary>The model.</summary>
    public CharLstm Model { get; }

    /// <summary>The optimizer.</summary>
    public Adam Optimizer { get; }

    /// <summary>The learning-rate schedule (stepped once per training step).</summary>
    public StepLr Schedule { get; }

    /// <summary>Draws the training windows.</summary>
    public Rng DataRng { get; }

    /// <summary>Training steps done.</summary>
    public int Step { get; internal set; }

    /// <summary>The lowest validation loss so far (nats per character) and the step it was measured at; null before any validation.</summary>
    public (double Loss, int Step)? Best { get; internal set; }

    /// <summary>Training seconds spent before this process (from a resumed checkpoint).</summary>
    public double PriorSeconds { get; internal set; }

    /// <summary>Builds a fresh run: weights from the seed, Adam with the configured learning rate, StepLR.</summary>
    public TextTrainer(TextTrainConfig config, TextCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(corpus);
        config.Validate();
        if (corpus.Options with { Encoding = config.Encoding } != config.CorpusOptions())
            throw new ArgumentException($"{corpus.Path} was read with other settings than the run's (Gutenberg text kept, validation split or block size); load it with config.CorpusOptions()", nameof(corpus));
        corpus.EnsureWindow(config.Seq);
        (Config, Corpus) = (config, corpus);
        Model = new CharLstm(config.Model(corpus.VocabularySize), config.Seed);
        _params = Model.Parameters().ToList();
        Optimizer = new Adam(_params, config.Lr);
        Schedule = new StepLr(Optimizer, config.LrStep, config.LrDecay);
        DataRng = NewDataRng(config.Seed);
        _inputs = new int[config.Seq * config.Batch];
        _targets = new int[config.Seq * config.Batch];
    }

    /// <summary>The generator of the data windows of a fresh run with <paramref name="seed"/>.</summary>
    internal static Rng NewDataRng(ulong seed) => new(seed ^ 0xDA7A_5EED_0000_0001UL);

    /// <summary>
    /// One optimisation step on a fresh batch of random windows. With <paramref name="timings"/>
    /// the time of each phase (data, forward, backward, clip and update) is added to it (the
    /// benchmark's breakdown of this same step). A non-finite loss or gradient throws
    /// <see cref="TrainingDivergedException"/> before the update (<see cref="Step"/> unchanged).
    /// </summary>
    public TextStepResult TrainStep(StepTimings? timings = null)
    {
        int T = Config.Seq, B = Config.Batch;
        float lr = Optimizer.LearningRate;
        long t0 = timings is null ? 0 : Stopwatch.GetTimestamp();
        Model.Train();
        foreach (var p in _params) if (p.Grad is { } g) Array.Clear(g.Data);
        Corpus.SampleWindows(DataRng, T, B, _inputs, _targets);
        long t1 = timings is null ? 0 : Stopwatch.GetTimestamp();
        var r = Model.Loss(_inputs, _targets, T, B);
        long t2 = timings is null ? 0 : Stopwatch.GetTimestamp();
        r.Loss.Backward();
        long t3 = timings is null ? 0 : Stopwatch.GetTimestamp();
        double norm = Config.Clip > 0 ? ClipGrad.ClipGradNorm(_params, Config.Clip) : double.NaN;
        double loss = r.Loss.Item();
        // before the update, so a divergence leaves the weights, optimizer and schedule of the last good step
        if (Config.Clip > 0) TrainingDivergedException.ThrowIfNonFinite(loss, norm);
        else TrainingDivergedException.ThrowIfNonFinite(loss, _params);
        Optimizer.Step();
        Schedule.Step();
        timings?.Add(t0, t1, t2, t3, Stopwatch.GetTimestamp());
        Step++;
        Remember(loss, r.Accuracy);
        return new TextStepResult(Step, loss, r.Accuracy, norm, lr);
    }

    /// <summary>Mean loss and accuracy of the last <paramref name="n"/> steps (fewer if fewer were done).</summary>
    public (double Loss, double Accuracy) RecentMean(int n)
    {
        n = Math.Min(n, _recent.Count);
        if (n == 0) return (double.NaN, double.NaN);
        double l = 0, a = 0;
        foreach (var (loss, acc) in _recent.Skip(_recent.Count - n)) { l += loss; a += acc; }
        return (l / n, a / n);
    }

    /// <summary>The kept per-step figures, oldest first.</summary>
    public IReadOnlyList<(double Loss, double Accuracy)> Recent => _recent.ToList();

    internal void Remember(double loss, double accuracy)
    {
        _recent.Enqueue((loss, accuracy));
        if (_recent.Count > RecentWindow) _recent.Dequeue();
    }

    /// <summary>
    /// Validation on the held-out blocks, each block one stream from the zero state (the tail of a
    /// run split that way: contiguous streams). When the blocks hold more than
    /// <see cref="TextTrainConfig.MaxEvalChars"/> characters, an evenly spaced subset of them that fits is used.
    /// </summary>
    public TextEvalResult Validate()
    {
        var blocks = Corpus.ValidationBlocks;
        if (Corpus.Options.Split == ValidationSplit.Tail || blocks.Count == 0)
            return TextEvaluator.Evaluate(Model, Corpus, Corpus.TrainLength, Math.Min(Corpus.ValidationLength, Config.MaxEvalChars));
        int fit = Math.Max(1, Config.MaxEvalChars / Corpus.BlockSize);
        if (blocks.Count > fit) blocks = Enumerable.Range(0, fit).Select(i => blocks[(int)((long)i * blocks.Count / fit)]).ToArray();
        return TextEvaluator.Evaluate(Model, Corpus, blocks);
    }

    /// <summary>
    /// Greedy or sampled text from the current weights: <paramref name="count"/> samples of
    /// <paramref name="length"/> characters, each starting from a random first character
    /// (drawn, like any sampling choice here, from a generator seeded by the run's seed and
    /// <paramref name="salt"/>, so samples never disturb the training stream).
    /// </summary>
    public string[] Samples(int count, int length, Decoding decoding, ulong salt)
    {
        var sampler = new TextSampler(new CharLstmInference(Model));
        var rng = new Rng(Config.Seed ^ 0x5A3F_1E00_0000_0000UL ^ salt);
        var result = new string[count];
        var output = new int[Math.Max(0, length - 1)];
        for (int i = 0; i < count; i++)
        {
            int first = rng.NextInt(Corpus.VocabularySize);
            sampler.Generate(new[] { first }, output, decoding, rng);
            result[i] = Corpus.Decode(new[] { first }) + Corpus.Decode(output);
        }
        return result;
    }
}
