using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Experiments.Bench;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace OnnxAnchor;

/// <summary>One side's figures for one process run: medians over <c>repeats</c> timed repetitions.</summary>
internal sealed record Figures(double SampleCharsPerSecond, double ForwardCharsPerSecond, int[] Text, float[] Logits);

/// <summary>
/// The two measurements on each side. Sampling: batch-1 greedy generation of a fixed number of
/// characters from the prompt "symbol 0" after a 1,000-character warm-up — SeqGraph through
/// <see cref="TextBench.SampleCharsPerSecond"/> (the <c>bench text</c> sampling figure, i.e.
/// <see cref="TextSampler"/> on <c>CharLstmInference</c>, what <c>text sample --temperature 0</c>
/// runs), ONNX Runtime one Run per character. Forward: the 2-layer LSTM and head over B=64, T=30
/// from the zero state, no gradient — <c>CharLstm.Forward</c> under <see cref="Tape.NoGrad"/>
/// against one ORT Run; chars/s = B·T per forward.
/// </summary>
internal static class Sides
{
    public const int Batch = 64, Steps = 30;
    private const double MinRepSeconds = 0.2, WarmSeconds = 0.3;

    /// <summary>The batched forward's tokens, batch-first [B, T] (row b·T + t), from seed 3.</summary>
    public static int[] Tokens(int vocabulary)
    {
        var rng = new Rng(3);
        var t = new int[Batch * Steps];
        for (int i = 0; i < t.Length; i++) t[i] = rng.NextInt(vocabulary);
        return t;
    }

    public static Figures SeqGraph(AnchorModel m, int threads, int chars, int repeats)
    {
        using var scope = Parallelism.Use(threads);
        var text = new int[chars];
        var sample = new double[repeats];
        for (int r = 0; r < repeats; r++) sample[r] = TextBench.SampleCharsPerSecond(m.Text.Model, text, Decoding.Greedy);

        int[] batchFirst = Tokens(m.Vocabulary), timeFirst = new int[batchFirst.Length];
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < Steps; t++) timeFirst[t * Batch + b] = batchFirst[b * Steps + t];
        Tensor? last = null;
        void Forward()
        {
            using var noGrad = Tape.NoGrad();
            last = m.Text.Model.Forward(timeFirst, Steps, Batch).Logits;
        }
        double forward = Repeat(Forward, repeats);
        // back to ORT's layout [B, T, V] for the comparison
        int v = m.Vocabulary;
        var logits = new float[Batch * Steps * v];
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < Steps; t++)
                last!.Data.AsSpan((t * Batch + b) * v, v).CopyTo(logits.AsSpan((b * Steps + t) * v, v));
        return new Figures(Median(sample), forward, text, logits);
    }

    public static Figures Ort(AnchorModel m, int threads, int chars, int repeats)
    {
        using var ort = new OrtCharLstm(m.OnnxPath, threads, m.Layers, m.Hidden, m.Vocabulary);
        var text = new int[chars];
        ort.Generate(0, text.AsSpan(0, Math.Min(1000, chars)));
        var sample = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            ort.Generate(0, text);
            sample[r] = chars / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        var tokens = Array.ConvertAll(Tokens(m.Vocabulary), x => (long)x);
        var logits = new float[Batch * Steps * m.Vocabulary];
        using var batch = ort.Batch(tokens, Batch, Steps, logits);
        double forward = Repeat(batch.Run, repeats);
        return new Figures(Median(sample), forward, text, logits);
    }

    /// <summary>Warms <paramref name="run"/> up, then returns the median over <paramref name="repeats"/>
    /// repetitions (each at least 0.2 s of back-to-back calls) of B·T characters per second.</summary>
    private static double Repeat(Action run, int repeats)
    {
        long w = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3 || Stopwatch.GetElapsedTime(w).TotalSeconds < WarmSeconds; i++) run();
        var cps = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            int n = 0;
            double s;
            do { run(); n++; } while ((s = Stopwatch.GetElapsedTime(t0).TotalSeconds) < MinRepSeconds);
            cps[r] = n * (double)Batch * Steps / s;
        }
        return Median(cps);
    }

    public static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }
}
