using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Graph;
using SeqGraph.Training;
using Spectre.Console;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph graph …</c>: node classification with GCN/GAT and small-graph inspection.</summary>
public static class GraphCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var graph = new Command("graph", "Graph neural networks: train GCN/GAT node classifiers, predict with a saved one, inspect small graphs");
        graph.Subcommands.Add(CreateTrain());
        graph.Subcommands.Add(GraphPredictCommand.Create());
        graph.Subcommands.Add(GraphInspect.Create());
        return graph;
    }

    private static Command CreateTrain()
    {
        var data = new Option<string>("--data") { Description = "Folder with <name>.content, the edges (<name>.cites, or <name>.csv with a header line) and optionally <name>.split", Required = true };
        var model = new Option<string>("--model") { Description = "gcn or gat", DefaultValueFactory = _ => "gcn" };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs (default: gcn 200, gat 1000 with patience 100)" };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden units, per head for gat (default: gcn 16, gat 8)" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads of gat's first layer (default 8)" };
        var dropout = new Option<float?>("--dropout") { Description = "Dropout on inputs and hidden layer, and on attention for gat (default: gcn 0.5, gat 0.6)" };
        var lr = new Option<float?>("--lr") { Description = "Adam learning rate (default: gcn 0.01, gat 0.005)" };
        var wd = new Option<double?>("--weight-decay") { Description = "L2 weight decay: gcn first layer, gat all parameters (default 5e-4)" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: a range 0..9, a list 0,1,2, or both (0..4,7)", DefaultValueFactory = _ => "0..9" };
        var patience = new Option<int?>("--patience") { Description = "Stop after N epochs without a new best validation accuracy or loss; 0 = off (default: gcn 0, gat 100)" };
        var raw = new Option<bool>("--raw-features") { Description = "Do not row-normalise the features" };
        var outDir = new Option<string?>("--out") { Description = "Folder for config.json, summary.json, per-seed metrics and models (seed-<k>/), and plots (default under runs/)" };
        var force = CliRunner.ForceOption();
        var threads = Common.Threads();
        var maxMemory = Common.MaxMemory();
        var json = Common.Json();
        var train = new ExperimentCommand("train", "Train a 2-layer GCN or GAT for node classification over several seeds")
            { data, model, epochs, hidden, heads, dropout, lr, wd, seeds, patience, raw, outDir, force, threads, maxMemory, json };
        (GraphTrainConfig, string) Build(ParseResult r, string root)
        {
            var m = r.GetValue(model) switch
            {
                "gcn" => GraphModel.Gcn,
                "gat" => GraphModel.Gat,
                var other => throw new UsageException($"unknown model '{other}' for --model (expected gcn or gat)"),
            };
            if (m == GraphModel.Gcn && r.GetValue(heads) is not null)
                throw new UsageException("--heads: only gat has attention heads (a gcn run does not use --heads)");
            var d = GraphTrainConfig.For(m, r.GetValue(data)!);
            var config = d with
            {
                Epochs = r.GetValue(epochs) ?? d.Epochs,
                Hidden = r.GetValue(hidden) ?? d.Hidden,
                Heads = r.GetValue(heads) ?? d.Heads,
                Dropout = r.GetValue(dropout) ?? d.Dropout,
                Lr = r.GetValue(lr) ?? d.Lr,
                WeightDecay = r.GetValue(wd) ?? d.WeightDecay,
                Patience = r.GetValue(patience) ?? d.Patience,
                Seeds = ParseSeeds(r.GetValue(seeds)!),
                NormalizeFeatures = !r.GetValue(raw),
                Threads = Common.CheckThreads(r.GetValue(threads)),
                MaxMemory = Common.ReadMaxMemory(r, maxMemory),
            };
            config.Validate();
            return (config, r.GetValue(outDir) ?? CliRunner.DefaultFolder($"graph-{m.ToString().ToLowerInvariant()}-{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(config.Data)))}", root));
        }
        train.Plan = (r, root) =>
        {
            var (config, dir) = Build(r, root);
            string name = config.Model.ToString().ToUpperInvariant();
            return new LaunchPlan($"{name} {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(config.Data)))}", dir, r.GetValue(force), false, (folder, progress, cancel) =>
            {
                var res = GraphTraining.Run(config, folder, Reporter.Create<GraphTrainProgress>(p =>
                {
                    long before = (long)(p.Run - 1) * config.Epochs;
                    if (p.Epoch is { } e) progress.Report(new RunProgress(before + e.Epoch, (long)config.Seeds.Length * config.Epochs, "epoch", e.TrainLoss, e.TrainAccuracy,
                        string.Create(CultureInfo.InvariantCulture, $"seed {p.Seed} ({p.Run}/{p.Runs}) epoch {e.Epoch}, val accuracy {e.ValAccuracy:0.000}")));
                }), cancel);
                return new RunOutcome(res.Interrupted, res.TestAccuracyMean is { } t
                    ? string.Create(CultureInfo.InvariantCulture, $"{res.Runs.Count} seed(s); test accuracy {t:0.000} ± {res.TestAccuracyStd ?? 0:0.000}")
                    : "no seed finished", res.Diverged?.Message);
            });
        };
        train.SetAction(r =>
        {
            var (config, dir) = Build(r, "runs");
            var m = config.Model;
            var folder = CliRunner.Folder(dir, r.GetValue(force));
            using var line = new ProgressLine($"{m.ToString().ToUpperInvariant()}", (long)config.Seeds.Length * config.Epochs, mayStopEarly: config.Patience > 0);
            var progress = Reporter.Create<GraphTrainProgress>(p =>
            {
                long before = (long)(p.Run - 1) * config.Epochs;
                if (p.Warning is { } w) line.Interrupt($"seqgraph: warning: {w}");
                else if (p.Finished is { } f)
                {
                    line.Report(before + config.Epochs, $"seed {p.Seed} done");
                    line.Interrupt($"seed {f.Seed}: best epoch {f.BestEpoch}/{f.Epochs}, val {f.ValAccuracy:P1}, test {f.TestAccuracy:P1}, {f.Seconds:F2} s");
                }
                else if (p.Epoch is { } e) line.Report(before + e.Epoch, $"seed {p.Seed} ({p.Run}/{p.Runs}) epoch {e.Epoch} val {e.ValAccuracy:P1} best {p.BestValAccuracy:P1}");
            });
            return CliRunner.Run(GraphTraining.Run, config, folder, progress, r.GetValue(json), s =>
            {
                var table = new Table().AddColumns("seed", "best epoch", "val acc", "test acc", "seconds");
                foreach (var x in s.Runs)
                    table.AddRow(x.Seed.ToString(CultureInfo.InvariantCulture), x.BestEpoch.ToString(CultureInfo.InvariantCulture),
                        x.ValAccuracy.ToString("P1", CultureInfo.InvariantCulture), x.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture),
                        x.Seconds.ToString("F2", CultureInfo.InvariantCulture));
                if (s.Runs.Count > 0) Common.Out.Write(table);
                Console.WriteLine(s.TestAccuracyMean is { } test
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{s.Model.ToString().ToUpperInvariant()} on {s.Dataset}, {s.Runs.Count} seed(s): test accuracy {100 * test:F1} ± {100 * s.TestAccuracyStd:F1} %, validation {100 * s.ValAccuracyMean:F1} %, {s.SecondsPerRun:F2} s per run")
                    : $"{s.Model.ToString().ToUpperInvariant()} on {s.Dataset}: no seed finished, so there is no accuracy to report");
                Console.WriteLine($"results in {dir}");
            }, s => s.Interrupted, beforePrint: line.Dispose,
                interruptedNote: $"the summary in {folder.Path} is marked \"interrupted\": true and covers the seeds that finished; every seed's best model so far is in its seed-<k> folder");
        });
        return train;
    }

    /// <summary>Parses "0..9", "0,1,2" or mixtures like "0..3,8" into distinct seeds in order.</summary>
    public static ulong[] ParseSeeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var ends = part.Split("..");
            bool ok = ulong.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong a);
            ulong b = a;
            if (ends.Length == 2) ok &= ulong.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out b);
            if (!ok || ends.Length > 2 || b < a || b - a > 10_000)
                throw new UsageException($"--seeds: cannot read '{part}' (use a range 0..9, a list 0,1,2, or both)");
            for (ulong s = a; ; s++)
            {
                if (!seeds.Contains(s)) seeds.Add(s);
                if (s == b) break;
            }
        }
        return seeds.ToArray();
    }
}
