using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Bench;
using SeqGraph.IO;
using Spectre.Console;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph bench gemm | rnn | text</c>: maps options onto the library's benchmarks (<see cref="SeqGraph.Experiments.Bench"/>) and prints.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the engine's kernels");
        bench.Subcommands.Add(Gemm());
        bench.Subcommands.Add(Rnn());
        bench.Subcommands.Add(Text());
        return bench;
    }

    private static Command Gemm()
    {
        var threads = Common.Threads();
        var json = Common.Json();
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per case (median reported)", DefaultValueFactory = _ => 7 };
        var gemm = new Command("gemm", "GFLOPS of C = A·B for the NN, NT and TN layouts on four shapes") { threads, json, repeats };
        gemm.SetAction(r =>
        {
            var rows = GemmBench.Run(Common.CheckThreads(r.GetValue(threads)), r.GetValue(repeats));
            if (r.GetValue(json))
            {
                Console.WriteLine(RunJson.SerializeCompact(new { results = rows }));
                return 0;
            }
            var table = new Table().AddColumns("M", "K", "N", "layout", "threads", "GFLOPS");
            foreach (var x in rows)
                table.AddRow(x.M.ToString(CultureInfo.InvariantCulture), x.K.ToString(CultureInfo.InvariantCulture), x.N.ToString(CultureInfo.InvariantCulture),
                    x.Layout, x.Threads.ToString(CultureInfo.InvariantCulture), x.Gflops.ToString("F1", CultureInfo.InvariantCulture));
            Common.Out.Write(table);
            return 0;
        });
        return gemm;
    }

    private static Command Rnn()
    {
        var d = new RnnBenchConfig();
        var model = new Option<string>("--model") { Description = "rnn | lstm | gru | peephole-lstm | bilstm", DefaultValueFactory = _ => "lstm" };
        var impl = new Option<string>("--impl") { Description = "fused | reference", DefaultValueFactory = _ => "fused" };
        var length = new Option<int>("--length") { Description = "Palindrome length T", DefaultValueFactory = _ => d.Length };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => d.Batch };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => d.Hidden };
        var steps = new Option<int>("--steps") { Description = "Timed steps per repetition", DefaultValueFactory = _ => d.Steps };
        var repeats = new Option<int>("--repeats") { Description = "Repetitions (one figure each)", DefaultValueFactory = _ => d.Repeats };
        var threads = Common.Threads();
        var cmd = new Command("rnn", "Training steps per second on digit palindromes (prints JSON)") { model, impl, length, batch, hidden, steps, repeats, threads };
        cmd.SetAction(r =>
        {
            var result = RnnBench.Run(new RnnBenchConfig
            {
                Model = Parse.Model(r.GetValue(model)!), Impl = Parse.Impl(r.GetValue(impl)!), Length = r.GetValue(length), Batch = r.GetValue(batch),
                Hidden = r.GetValue(hidden), Steps = r.GetValue(steps), Repeats = r.GetValue(repeats), Threads = Common.CheckThreads(r.GetValue(threads)),
            });
            Console.WriteLine(RunJson.SerializeCompact(result));
            return 0;
        });
        return cmd;
    }

    private static Command Text()
    {
        var d = new TextBenchConfig();
        var corpus = new Option<string>("--corpus") { Description = "Text file", Required = true };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units", DefaultValueFactory = _ => d.Hidden };
        var embed = new Option<int>("--embed") { Description = "Embedding size", DefaultValueFactory = _ => d.Embed };
        var steps = new Option<int>("--steps") { Description = "Timed training steps", DefaultValueFactory = _ => d.Steps };
        var sampleChars = new Option<int>("--sample-chars") { Description = "Characters generated for the sampling figure", DefaultValueFactory = _ => d.SampleChars };
        var threads = Common.Threads();
        var json = Common.Json();
        var cmd = new Command("text", "Char-LSTM training and sampling speed (2 layers, T=30, B=64)") { corpus, hidden, embed, steps, sampleChars, threads, json };
        cmd.SetAction(r =>
        {
            var result = TextBench.Run(new TextBenchConfig
            {
                Corpus = r.GetValue(corpus)!, Hidden = r.GetValue(hidden), Embed = r.GetValue(embed), Steps = r.GetValue(steps),
                SampleChars = r.GetValue(sampleChars), Threads = Common.CheckThreads(r.GetValue(threads)),
            });
            if (r.GetValue(json)) Console.WriteLine(RunJson.SerializeCompact(result));
            else foreach (var (k, v) in (JsonObject)RunJson.ToNode(result)) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k,-24} {v}"));
            return 0;
        });
        return cmd;
    }
}
