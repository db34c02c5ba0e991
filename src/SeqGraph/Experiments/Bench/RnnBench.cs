using System.Diagnostics;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Bench;

/// <summary>
/// <c>bench rnn</c>: <see cref="SequenceTrainer.TrainStep"/> — the trainer's own step — on 16
/// batches generated before timing, after a warm-up of at least 1 second (as on the PyTorch side:
/// the first second includes JIT and the first garbage collections) and at least
/// <see cref="SplitChoice.WarmUpCalls"/> steps (each kernel's split-or-alone tries).
/// </summary>
public static class RnnBench
{
    /// <summary>Runs the measurement.</summary>
    public static RnnBenchResult Run(RnnBenchConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.Validate();
        ISequenceTask task;
        try { task = SequenceTasks.Create("palindrome", c.Length); }
        catch (ArgumentException e) { throw new ConfigException("--length", $"--length: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}"); }
        using var scope = Parallelism.Use(c.Threads);
        var m = new SequenceClassifier(c.Model.Cell(), task.VocabularySize, task.NumClasses, c.Hidden, new Rng(0), 0, 1, c.Model.Bidirectional(), 0f, c.Impl);
        var opt = new Adam(m.Parameters(), 1e-3f);
        var data = new Rng(1);
        var batches = Enumerable.Range(0, 16).Select(_ => task.SampleBatch(data, c.Batch)).ToArray();
        int i = 0;
        void Step()
        {
            var (x, y) = batches[i++ % batches.Length];
            SequenceTrainer.TrainStep(m, opt, x, y, c.Batch, task.InputLength, 10f);
        }
        long warm = Stopwatch.GetTimestamp();
        // (each kernel's split-or-alone tries included: SplitChoice.WarmUpCalls)
        for (int w = 0; w < SplitChoice.WarmUpCalls || Stopwatch.GetElapsedTime(warm).TotalSeconds < 1; w++) Step();
        var rates = new double[c.Repeats];
        for (int rep = 0; rep < c.Repeats; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int s = 0; s < c.Steps; s++) Step();
            rates[rep] = Math.Round(c.Steps / Stopwatch.GetElapsedTime(t0).TotalSeconds, 3);
        }
        return new RnnBenchResult($"{c.Model.Name()}-{c.Impl.ToString().ToLowerInvariant()}", c.Threads, rates);
    }
}
