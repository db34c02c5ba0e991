using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Training;
using SeqGraph.Autograd;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// <c>seqgraph bench text</c>: training characters per second of the char-LSTM (the same step as
/// <c>text train</c>, with a per-phase breakdown), batch-1 sampling characters per second, and the
/// process's peak memory — the SeqGraph side of <c>bench/pytorch/char_lstm.py</c>.
/// </summary>
public static class BenchTextCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "Text file", Required = true };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units", DefaultValueFactory = _ => 128 };
        var embed = new Option<int>("--embed") { Description = "Embedding size", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed training steps", DefaultValueFactory = _ => 200 };
        var sampleChars = new Option<int>("--sample-chars") { Description = "Characters generated for the sampling figure", DefaultValueFactory = _ => 20000 };
        var threads = Common.Threads();
        var json = Common.Json();
        var cmd = new Command("text", "Char-LSTM training and sampling speed (2 layers, T=30, B=64)") { corpus, hidden, embed, steps, sampleChars, threads, json };
        cmd.SetAction(r => Run(r.GetValue(corpus)!, r.GetValue(hidden), r.GetValue(embed), r.GetValue(steps), r.GetValue(sampleChars), r.GetValue(threads), r.GetValue(json)));
        return cmd;
    }

    private static int Run(string path, int hidden, int embed, int steps, int sampleChars, int threads, bool json)
    {
        Common.ApplyThreads(threads);
        if (steps < 1) throw new UsageException("--steps must be at least 1");
        var corpus = TextCorpus.Load(path);
        var trainer = new TextTrainer(new TextTrainConfig { Corpus = path, Hidden = hidden, Embed = embed, Steps = steps }, corpus);
        int warm = Math.Max(5, steps / 10);
        for (int i = 0; i < warm; i++) trainer.TrainStep();
        // phase breakdown on a replica of TextTrainer.TrainStep
        var ps = trainer.Model.Parameters().ToList();
        int T = 30, B = 64;
        var inputs = new int[T * B];
        var targets = new int[T * B];
        var rng = new Rng(7);
        double tData = 0, tFwd = 0, tBwd = 0, tOpt = 0;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            foreach (var p in ps) if (p.Grad is { } g) Array.Clear(g.Data);
            corpus.SampleWindows(rng, T, B, inputs, targets);
            long t1 = Stopwatch.GetTimestamp();
            var res = trainer.Model.Loss(inputs, targets, T, B);
            long t2 = Stopwatch.GetTimestamp();
            res.Loss.Backward();
            long t3 = Stopwatch.GetTimestamp();
            ClipGrad.ClipGradNorm(ps, 5f);
            trainer.Optimizer.Step();
            trainer.Schedule.Step();
            long t4 = Stopwatch.GetTimestamp();
            tData += t1 - t0; tFwd += t2 - t1; tBwd += t3 - t2; tOpt += t4 - t3;
        }
        double sec = total.Elapsed.TotalSeconds;
        // the head and loss alone (Linear over [T·B, H] → V, cross-entropy, arg-max), forward and backward
        var hx = SeqGraph.Tensors.Tensor.Uniform(rng, -1, 1, T * B, hidden);
        hx.RequiresGrad = true;
        var head = trainer.Model.Head;
        long h0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            var logits = SeqGraph.Autograd.Ops.Linear(hx, head.Weight, head.Bias);
            var l = SeqGraph.Autograd.Ops.CrossEntropy(logits, targets);
            CharLstm.CountCorrect(logits, targets);
            l.Backward();
        }
        double tHead = Stopwatch.GetTimestamp() - h0;
        double f = Stopwatch.Frequency;
        double cps = steps * (double)T * B / sec;
        // forward+backward flops of the LSTM layers and head (2 per multiply-add, ×3 for fwd+bwd)
        int V = corpus.VocabularySize, H = hidden;
        double flopsPerStep = 3 * 2.0 * T * B * (4.0 * H * (embed + H) + 4.0 * H * (H + H) + V * H);
        var sampler = new TextSampler(new CharLstmInference(trainer.Model));
        var output = new int[sampleChars];
        sampler.Generate(new[] { 0 }, output.AsSpan(0, Math.Min(1000, sampleChars)), new Decoding(1f), new Rng(1));
        var sc = Stopwatch.StartNew();
        sampler.Generate(new[] { 0 }, output, new Decoding(1f), new Rng(1));
        double sampleCps = sampleChars / sc.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var o = new JsonObject
        {
            ["hidden"] = hidden, ["threads"] = threads, ["steps"] = steps,
            ["train_chars_per_second"] = Math.Round(cps, 1),
            ["gflops"] = Math.Round(flopsPerStep * steps / sec / 1e9, 2),
            ["ms_per_step"] = Math.Round(sec * 1000 / steps, 3),
            ["ms_data"] = Math.Round(tData / f * 1000 / steps, 3), ["ms_forward"] = Math.Round(tFwd / f * 1000 / steps, 3),
            ["ms_backward"] = Math.Round(tBwd / f * 1000 / steps, 3), ["ms_optimizer"] = Math.Round(tOpt / f * 1000 / steps, 3),
            ["ms_head_and_loss"] = Math.Round(tHead / f * 1000 / steps, 3),
            ["sample_chars_per_second"] = Math.Round(sampleCps, 1),
            ["peak_rss_mb"] = Math.Round(peak / 1048576.0, 1),
            ["gc_gen0"] = GC.CollectionCount(0), ["gc_gen2"] = GC.CollectionCount(2), ["gc_pause_ms"] = Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 1),
        };
        if (json) Console.WriteLine(o.ToJsonString());
        else foreach (var (k, v) in o) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k,-24} {v}"));
        return 0;
    }
}
