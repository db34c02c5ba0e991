using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Bench;

/// <summary>
/// <c>bench text</c>: <see cref="TextTrainer.TrainStep"/> — the trainer's own step, with its phase
/// timings — after a warm-up, the head and loss alone, and batch-1 sampling through
/// <see cref="TextSampler"/>.
/// </summary>
public static class TextBench
{
    /// <summary>Runs the measurement.</summary>
    public static TextBenchResult Run(TextBenchConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.Validate();
        using var scope = Parallelism.Use(c.Threads);
        var corpus = TextCorpus.Load(c.Corpus);
        var trainer = new TextTrainer(new TextTrainConfig { Corpus = c.Corpus, Hidden = c.Hidden, Embed = c.Embed, Steps = c.Steps }, corpus);
        int warm = Math.Max(SplitChoice.WarmUpCalls, c.Steps / 10); // each kernel's split-or-alone tries first
        for (int i = 0; i < warm; i++) trainer.TrainStep();
        var timings = new StepTimings();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < c.Steps; i++) trainer.TrainStep(timings);
        double sec = total.Elapsed.TotalSeconds;
        int T = trainer.Config.Seq, B = trainer.Config.Batch, V = corpus.VocabularySize, H = c.Hidden;

        var rng = new Rng(7);
        var targets = new int[T * B];
        for (int i = 0; i < targets.Length; i++) targets[i] = rng.NextInt(V);
        var hx = Tensor.Uniform(rng, -1, 1, T * B, H);
        hx.RequiresGrad = true;
        var head = trainer.Model.Head;
        long h0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < c.Steps; i++)
        {
            var logits = Ops.Linear(hx, head.Weight, head.Bias);
            var l = Ops.CrossEntropy(logits, targets);
            CharLstm.CountCorrect(logits, targets);
            l.Backward();
        }
        double tHead = Stopwatch.GetElapsedTime(h0).TotalSeconds;

        // forward+backward flops of the LSTM layers and head (2 per multiply-add, ×3 for fwd+bwd)
        double flopsPerStep = 3 * 2.0 * T * B * (4.0 * H * (c.Embed + H) + 4.0 * H * (H + H) + V * H);
        double sampleCps = SampleCharsPerSecond(trainer.Model, new int[c.SampleChars], new Decoding(1f));
        double Ms(double seconds) => Math.Round(seconds * 1000 / c.Steps, 3);
        return new TextBenchResult
        {
            Hidden = H, Threads = c.Threads, Steps = c.Steps,
            TrainCharsPerSecond = Math.Round(c.Steps * (double)T * B / sec, 1),
            Gflops = Math.Round(flopsPerStep * c.Steps / sec / 1e9, 2),
            MsPerStep = Ms(sec), MsData = Ms(timings.Data), MsForward = Ms(timings.Forward), MsBackward = Ms(timings.Backward),
            MsOptimizer = Ms(timings.Optimizer), MsHeadAndLoss = Ms(tHead),
            SampleCharsPerSecond = Math.Round(sampleCps, 1),
            PeakRssMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            GcGen0 = GC.CollectionCount(0), GcGen2 = GC.CollectionCount(2), GcPauseMs = Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 1),
        };
    }

    /// <summary>
    /// The sampling figure: batch-1 generation through <see cref="TextSampler"/> on a
    /// <see cref="CharLstmInference"/> of <paramref name="model"/>, from the prompt "symbol 0", after
    /// a warm-up of up to 1,000 characters. Fills <paramref name="output"/> with the generated symbols
    /// (random draws from a generator seeded with 1) and returns characters per second of that timed
    /// generation. Also the SeqGraph side of the ONNX Runtime anchor (bench/OnnxAnchor).
    /// </summary>
    public static double SampleCharsPerSecond(CharLstm model, Span<int> output, Decoding decoding)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(decoding);
        if (output.IsEmpty) throw new ArgumentException("no characters to generate", nameof(output));
        var sampler = new TextSampler(new CharLstmInference(model));
        ReadOnlySpan<int> prompt = [0];
        sampler.Generate(prompt, output[..Math.Min(1000, output.Length)], decoding, new Rng(1));
        long t0 = Stopwatch.GetTimestamp();
        sampler.Generate(prompt, output, decoding, new Rng(1));
        return output.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
