using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Random;
using SeqGraph.Tensors;
using Spectre.Console;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph bench …</c>: quick in-process measurements.</summary>
public static class BenchCommand
{
    /// <summary>The shapes (M, K, N) measured by <c>bench gemm</c>.</summary>
    public static readonly (int M, int K, int N)[] GemmShapes = { (64, 128, 512), (128, 256, 1024), (1920, 512, 2048), (1024, 1024, 1024) };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the engine's kernels");
        var threads = Common.Threads();
        var json = Common.Json();
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per case (median reported)", DefaultValueFactory = _ => 7 };
        var gemm = new Command("gemm", "GFLOPS of C = A·B for the NN, NT and TN layouts on four shapes") { threads, json, repeats };
        gemm.SetAction(r => RunGemm(r.GetValue(threads), r.GetValue(repeats), r.GetValue(json)));
        bench.Subcommands.Add(gemm);
        bench.Subcommands.Add(BenchRnn.Create());
        bench.Subcommands.Add(BenchTextCommand.Create());
        return bench;
    }

    private static int RunGemm(int threads, int repeats, bool json)
    {
        Common.ApplyThreads(threads);
        if (repeats < 1) throw new UsageException($"--repeats must be at least 1 (got {repeats})");
        var rng = new Rng(1);
        var results = new JsonArray();
        var table = new Table().AddColumns("M", "K", "N", "layout", "threads", "GFLOPS");
        foreach (var (m, k, n) in GemmShapes)
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
                Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                var times = new double[repeats];
                for (int r = 0; r < repeats; r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < inner; i++) Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                    times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
                }
                Array.Sort(times);
                double gflops = flops / times[repeats / 2] / 1e9;
                results.Add(new JsonObject { ["m"] = m, ["k"] = k, ["n"] = n, ["layout"] = layout, ["threads"] = threads, ["gflops"] = Math.Round(gflops, 2) });
                table.AddRow(m.ToString(), k.ToString(), n.ToString(), layout, threads.ToString(), gflops.ToString("F1"));
            }
        }
        if (json) Console.WriteLine(new JsonObject { ["results"] = results }.ToJsonString());
        else Common.Out.Write(table);
        return 0;
    }
}
