using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Training;
using Spectre.Console;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph graph …</c>: node classification with GCN/GAT and small-graph inspection.</summary>
public static class GraphCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var graph = new Command("graph", "Graph neural networks: train GCN/GAT node classifiers, inspect small graphs");
        graph.Subcommands.Add(CreateTrain());
        graph.Subcommands.Add(GraphInspect.Create());
        return graph;
    }

    private static Command CreateTrain()
    {
        var data = new Option<string>("--data") { Description = "Folder with <name>.content, <name>.cites and optionally <name>.split", Required = true };
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
        var outDir = new Option<string>("--out") { Description = "Folder for config.json, summary.json, per-seed metrics.csv and plots", Required = true };
        var threads = Common.Threads();
        var json = Common.Json();
        var train = new Command("train", "Train a 2-layer GCN or GAT for node classification over several seeds")
            { data, model, epochs, hidden, heads, dropout, lr, wd, seeds, patience, raw, outDir, threads, json };
        train.SetAction(r =>
        {
            Common.ApplyThreads(r.GetValue(threads));
            string m = r.GetValue(model)!;
            if (m is not ("gcn" or "gat")) throw new UsageException($"unknown model '{m}' for --model (expected gcn or gat)");
            var o = NodeTrainingOptions.For(m);
            o = o with
            {
                Epochs = Positive("--epochs", r.GetValue(epochs)) ?? o.Epochs,
                Hidden = Positive("--hidden", r.GetValue(hidden)) ?? o.Hidden,
                Heads = Positive("--heads", r.GetValue(heads)) ?? o.Heads,
                Dropout = r.GetValue(dropout) ?? o.Dropout,
                LearningRate = r.GetValue(lr) ?? o.LearningRate,
                WeightDecay = r.GetValue(wd) ?? o.WeightDecay,
                Patience = r.GetValue(patience) ?? o.Patience,
            };
            if (!(o.Dropout >= 0 && o.Dropout < 1)) throw new UsageException($"--dropout must be in [0, 1) (got {o.Dropout})");
            if (!(o.LearningRate > 0)) throw new UsageException($"--lr must be positive (got {o.LearningRate})");
            if (!(o.WeightDecay >= 0)) throw new UsageException($"--weight-decay must not be negative (got {o.WeightDecay})");
            if (o.Patience < 0) throw new UsageException($"--patience must not be negative (got {o.Patience})");
            return RunTrain(r.GetValue(data)!, o, ParseSeeds(r.GetValue(seeds)!), !r.GetValue(raw), r.GetValue(outDir)!, r.GetValue(threads), r.GetValue(json));
        });
        return train;
    }

    private static int? Positive(string name, int? v) =>
        v is null or > 0 ? v : throw new UsageException($"{name} must be at least 1 (got {v})");

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

    private static int RunTrain(string dataDir, NodeTrainingOptions options, ulong[] seeds, bool normalize, string outDir, int threads, bool json)
    {
        var data = CitationGraph.Load(dataDir, normalize);
        RunFolder run;
        try { run = RunFolder.Create(outDir); }
        catch (IOException e) { throw new UsageException($"--out: {e.Message}"); }
        var config = new JsonObject
        {
            ["command"] = "graph train", ["data"] = dataDir, ["dataset"] = data.Name, ["model"] = options.Model,
            ["epochs"] = options.Epochs, ["hidden"] = options.Hidden, ["heads"] = options.Model == "gat" ? options.Heads : null,
            ["output_heads"] = options.Model == "gat" ? options.OutputHeads : null, ["dropout"] = options.Dropout,
            ["lr"] = options.LearningRate, ["weight_decay"] = options.WeightDecay,
            ["weight_decay_on"] = options.Model == "gcn" ? "first layer" : "all parameters",
            ["patience"] = options.Patience, ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode)s).ToArray()),
            ["normalize_features"] = normalize, ["threads"] = threads, ["optimizer"] = "adam",
            ["selection"] = "best validation accuracy; ties: lower validation loss, then earlier epoch",
            ["split"] = data.SplitSource,
            ["nodes"] = data.NumNodes, ["features"] = data.NumFeatures, ["classes"] = data.NumClasses, ["edges"] = data.Graph.NumEdges,
        };
        run.WriteConfig(config);

        var runs = new List<NodeTrainingResult>();
        foreach (var seed in seeds)
        {
            var result = NodeTrainer.Train(data, options, seed);
            runs.Add(result);
            RunFiles.WriteMetrics(run, seed, result.Epochs);
            var b = result.Best;
            Console.Error.WriteLine($"seed {seed}: best epoch {result.BestEpoch}/{result.Epochs.Count}, val {b.ValAccuracy:P1}, test {b.TestAccuracy:P1}, {result.Seconds:F2} s");
        }
        var s = NodeTrainingSummary.From(runs);
        var summary = new JsonObject
        {
            ["model"] = options.Model, ["dataset"] = data.Name, ["seeds"] = new JsonArray(seeds.Select(x => (JsonNode)x).ToArray()),
            ["test_accuracy_mean"] = Math.Round(s.TestAccuracyMean, 4), ["test_accuracy_std"] = Math.Round(s.TestAccuracyStd, 4),
            ["val_accuracy_mean"] = Math.Round(s.ValAccuracyMean, 4), ["seconds_per_run"] = Math.Round(s.SecondsPerRun, 4),
            ["epochs_per_run"] = s.EpochsPerRun, ["threads"] = threads,
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
            {
                ["seed"] = r.Seed, ["best_epoch"] = r.BestEpoch, ["epochs"] = r.Epochs.Count, ["val_accuracy"] = r.Best.ValAccuracy,
                ["val_loss"] = Math.Round(r.Best.ValLoss, 5), ["test_accuracy"] = r.Best.TestAccuracy, ["seconds"] = Math.Round(r.Seconds, 4),
            }).ToArray()),
        };
        run.WriteSummary(summary);
        RunFiles.WritePlots(run, options.Model, data, runs);

        if (json) Console.WriteLine(summary.ToJsonString());
        else
        {
            var table = new Table().AddColumns("seed", "best epoch", "val acc", "test acc", "seconds");
            foreach (var r in runs)
                table.AddRow(r.Seed.ToString(CultureInfo.InvariantCulture), r.BestEpoch.ToString(CultureInfo.InvariantCulture),
                    r.Best.ValAccuracy.ToString("P1", CultureInfo.InvariantCulture), r.Best.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture),
                    r.Seconds.ToString("F2", CultureInfo.InvariantCulture));
            Common.Out.Write(table);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.Model.ToUpperInvariant()} on {data.Name}, {runs.Count} seed(s): test accuracy {100 * s.TestAccuracyMean:F1} ± {100 * s.TestAccuracyStd:F1} %, validation {100 * s.ValAccuracyMean:F1} %, {s.SecondsPerRun:F2} s per run"));
            Console.WriteLine($"results in {outDir}");
        }
        return 0;
    }
}
