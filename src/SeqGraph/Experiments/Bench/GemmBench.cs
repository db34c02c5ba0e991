using System.Diagnostics;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Experiments.Bench;

/// <summary><c>bench gemm</c>: GFLOPS of <see cref="Gemm.Sgemm"/> for the NN, NT and TN layouts on the shapes of bench/gemm_compare.sh.</summary>
public static class GemmBench
{
    /// <summary>The shapes (M, K, N) measured.</summary>
    public static readonly (int M, int K, int N)[] Shapes = { (64, 128, 512), (128, 256, 1024), (1920, 512, 2048), (1024, 1024, 1024) };

    /// <summary>The median over <paramref name="repeats"/> timings of each shape and layout, at <paramref name="threads"/> threads.</summary>
    public static IReadOnlyList<GemmBenchRow> Run(int threads, int repeats = 7)
    {
        ConfigException.Positive("--threads", threads);
        ConfigException.Positive("--repeats", repeats);
        using var scope = Parallelism.Use(threads);
        var rng = new Rng(1);
        var rows = new List<GemmBenchRow>();
        foreach (var (m, k, n) in Shapes)
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[m * n];
            rng.FillUniform(a, -1, 1);
            rng.FillUniform(b, -1, 1);
            foreach (var layout in new[] { "NN", "NT", "TN" })
            {
                bool ta = layout[0] == 'T', tb = layout[1] == 'T';
                int lda = ta ? m : k, ldb = tb ? k : n;
                double flops = 2.0 * m * n * k;
                // Enough inner calls that one timing takes at least ~20 ms.
                int inner = Math.Max(1, (int)(2e9 / flops));
                // Steady state first: the JIT, the first page faults, and the split-or-alone choice's
                // tries of each way (SplitChoice.WarmUpCalls), and at least 0.2 s.
                long warm = Stopwatch.GetTimestamp();
                for (int i = 0; i < SplitChoice.WarmUpCalls + 2 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.2; i++)
                    Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                var times = new double[repeats];
                for (int r = 0; r < repeats; r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < inner; i++) Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                    times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
                }
                Array.Sort(times);
                rows.Add(new GemmBenchRow(m, k, n, layout, threads, Math.Round(flops / times[repeats / 2] / 1e9, 2)));
            }
        }
        return rows;
    }
}
