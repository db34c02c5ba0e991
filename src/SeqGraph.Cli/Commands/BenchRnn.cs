using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// <c>seqgraph bench rnn</c>: training steps per second on digit palindromes, the workload of
/// bench/pytorch/rnn_palindrome.py (T = 20, batch 128, hidden 128, one-hot, Adam 1e-3, clip 10).
/// Batches are generated before timing and both sides warm up for at least 5 steps and 1 second.
/// </summary>
internal static class BenchRnn
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "rnn | lstm | gru | peephole-lstm | bilstm", DefaultValueFactory = _ => "lstm" };
        var impl = new Option<string>("--impl") { Description = "fused | reference", DefaultValueFactory = _ => "fused" };
        var length = new Option<int>("--length") { Description = "Palindrome length T", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 128 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per repetition", DefaultValueFactory = _ => 30 };
        var repeats = new Option<int>("--repeats") { Description = "Repetitions (one figure each)", DefaultValueFactory = _ => 5 };
        var threads = Common.Threads();
        var cmd = new Command("rnn", "Training steps per second on digit palindromes (prints JSON)") { model, impl, length, batch, hidden, steps, repeats, threads };
        cmd.SetAction(r =>
        {
            Common.ApplyThreads(r.GetValue(threads));
            string name = r.GetValue(model)!;
            var (cell, bidi) = Parse.Model(name);
            var im = Parse.Impl(r.GetValue(impl)!);
            int T = r.GetValue(length), B = Parse.Positive("--batch", r.GetValue(batch)), H = Parse.Positive("--hidden", r.GetValue(hidden));
            int n = Parse.Positive("--steps", r.GetValue(steps)), reps = Parse.Positive("--repeats", r.GetValue(repeats));
            RnnOptions.CheckLength("palindrome", T);
            var task = SequenceTasks.Create("palindrome", T);
            var m = new SequenceClassifier(cell, task.VocabularySize, task.NumClasses, H, new Rng(0), 0, 1, bidi, 0f, im);
            var opt = new Adam(m.Parameters(), 1e-3f);
            var data = new Rng(1);
            var batches = Enumerable.Range(0, 16).Select(_ => task.SampleBatch(data, B)).ToArray();
            int L = task.InputLength, i = 0;
            void Step()
            {
                var (x, y) = batches[i++ % batches.Length];
                SequenceTrainer.TrainStep(m, opt, x, y, B, L, 10f);
            }
            // Warm up to a steady state, as on the PyTorch side: at least 5 steps and 1 second (the
            // first second includes JIT and the first garbage collections, which fault in fresh pages).
            long warm = Stopwatch.GetTimestamp();
            for (int w = 0; w < 5 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 1; w++) Step();
            var rates = new JsonArray();
            for (int rep = 0; rep < reps; rep++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int s = 0; s < n; s++) Step();
                rates.Add(Math.Round(n / Stopwatch.GetElapsedTime(t0).TotalSeconds, 3));
            }
            Console.WriteLine(new JsonObject
            {
                ["variant"] = $"{name}-{r.GetValue(impl)}", ["threads"] = SeqGraph.Tensors.Parallelism.Threads, ["steps_per_second"] = rates,
            }.ToJsonString());
            return 0;
        });
        return cmd;
    }
}
