using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Nn.Graph;
using SeqGraph.Reporting;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// <c>graph train</c>: loads the citation graph, trains one <see cref="NodeTrainer"/> run per seed
/// and writes config.json (with the dataset's sizes), metrics_seed&lt;k&gt;.csv (one row per epoch),
/// summary.json, accuracy.svg and loss.svg (mean ± std over seeds per epoch), embedding.svg (the
/// first seed's hidden layer on two principal components) and, as each seed ends, its selected
/// epoch's model in seed-&lt;k&gt;/ (<see cref="NodeCheckpoint"/>). Cancellation stops the current
/// seed after its epoch, saves its best model so far (marked interrupted) and ends the run with
/// what has finished. A seed whose loss or gradients go NaN or infinite ends the run the same way,
/// marked diverged (<see cref="GraphTrainResult.Diverged"/>): the seeds share every setting, so the
/// others would most likely diverge too; its best model before the divergence is saved, if it has one.
/// <see cref="GraphWarnings"/> are reported (progress with <see cref="GraphTrainProgress.Warning"/>) before the first epoch.
/// </summary>
public sealed class GraphTraining : IExperiment<GraphTrainConfig, GraphTrainProgress, GraphTrainResult>
{
    /// <summary>The folder of seed <paramref name="seed"/>'s saved model inside a run folder.</summary>
    public static string ModelFolder(ulong seed) => $"seed-{seed}";

    /// <summary>The seeds whose model a run folder holds (seed-&lt;k&gt;/ with both checkpoint files), lowest first.</summary>
    public static IReadOnlyList<(ulong Seed, string Dir)> SavedSeeds(string run) =>
        Directory.GetDirectories(run, "seed-*")
            .Select(d => (Ok: ulong.TryParse(Path.GetFileName(d)["seed-".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong s), Seed: s, Dir: d))
            .Where(x => x.Ok && Checkpoint.Exists(x.Dir)).OrderBy(x => x.Seed).Select(x => (x.Seed, x.Dir)).ToList();

    /// <summary>Columns of each seed's metrics file.</summary>
    public static readonly string[] MetricColumns = { "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_accuracy", "seconds" };

    /// <summary>config.json of a graph run: every setting, then what the data turned out to be.</summary>
    public sealed record RunConfig : GraphTrainConfig
    {
        /// <summary>The settings of <paramref name="settings"/>.</summary>
        public RunConfig(GraphTrainConfig settings) : base(settings) { }

        /// <summary>For reading a config.json back (<see cref="RunJson.Read{T}"/>).</summary>
        [System.Text.Json.Serialization.JsonConstructor]
        public RunConfig() : base(new GraphTrainConfig()) { }

        /// <summary>The dataset's name.</summary>
        public string Dataset { get; init; } = "";
        /// <summary>Where the split came from.</summary>
        public string Split { get; init; } = "";
        /// <summary>Nodes.</summary>
        public int Nodes { get; init; }
        /// <summary>Nodes with a label.</summary>
        public int LabelledNodes { get; init; }
        /// <summary>Nodes in the training, validation and test sets.</summary>
        public int TrainNodes { get; init; }
        /// <summary>Validation nodes.</summary>
        public int ValNodes { get; init; }
        /// <summary>Test nodes.</summary>
        public int TestNodes { get; init; }
        /// <summary>The file the edges came from.</summary>
        public string EdgeFile { get; init; } = "";
        /// <summary>What happens to edge weights: none, used in the normalisation (gcn), ignored (gat).</summary>
        public string EdgeWeights { get; init; } = "";
        /// <summary>Features per node.</summary>
        public int Features { get; init; }
        /// <summary>Classes.</summary>
        public int Classes { get; init; }
        /// <summary>Edges.</summary>
        public int Edges { get; init; }
        /// <summary>Which parameters weight decay applies to.</summary>
        public string WeightDecayOn { get; init; } = "";
        /// <summary>How the reported epoch is chosen.</summary>
        public string Selection { get; init; } = "";
    }

    /// <inheritdoc/>
    public static GraphTrainResult Run(GraphTrainConfig config, RunFolder? folder = null, IProgress<GraphTrainProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var writing = folder?.Hold("graph train");
        using var threads = Parallelism.Use(config.Threads);
        var data = CitationGraph.Load(config.Data, config.NormalizeFeatures);
        config.CheckMemory(data.NumNodes, data.NumFeatures, data.Features.Nnz, data.Graph.DirectedEntries + data.NumNodes, data.NumClasses);
        folder?.WriteConfig(new RunConfig(config)
        {
            Dataset = data.Name, Split = data.SplitSource, Nodes = data.NumNodes, LabelledNodes = data.LabelledNodes,
            Features = data.NumFeatures, Classes = data.NumClasses, Edges = data.Graph.NumEdges, EdgeFile = data.EdgeFile,
            EdgeWeights = !data.Graph.Weighted ? "none" : config.Model == GraphModel.Gcn ? "used in the normalisation" : "ignored by gat",
            TrainNodes = data.Train.Length, ValNodes = data.Val.Length, TestNodes = data.Test.Length,
            WeightDecayOn = config.Model == GraphModel.Gcn ? "first layer" : "all parameters",
            Selection = "best validation accuracy; ties: lower validation loss, then earlier epoch",
        });
        var warnings = GraphWarnings.For(data);
        foreach (var w in warnings) progress?.Report(new GraphTrainProgress(0, config.Seeds.Length, 0, null, 0, null, w));
        string firstEpochCause = "at the first epoch, before any update: the node features are likely too large" + (config.NormalizeFeatures ? "" : " (they are not row-normalised: drop --raw-features)");
        var runs = new List<NodeTrainingResult>();
        NodeTrainingResult? partial = null;   // the seed a stop or a divergence cut short
        bool interrupted = false;
        Divergence? diverged = null;
        for (int i = 0; i < config.Seeds.Length; i++)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            ulong seed = config.Seeds[i];
            int run = i + 1;
            double best = 0;
            using var metrics = folder?.OpenMetrics($"metrics_seed{seed}.csv", MetricColumns);
            var r = NodeTrainer.Train(data, config, seed, e =>
            {
                metrics?.Append(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy, e.TestAccuracy, e.Seconds);
                best = Math.Max(best, e.ValAccuracy);
                progress?.Report(new GraphTrainProgress(run, config.Seeds.Length, seed, e, best, null));
            }, cancel, firstEpochCause);
            if (folder is not null && r.BestEpoch > 0) NodeCheckpoint.Save(Path.Combine(folder.Path, ModelFolder(seed)), r, config, data, config.Data, config.NormalizeFeatures);
            if (r.Diverged is not null) { diverged = r.Diverged; partial = r; break; }   // not averaged in; its best model before the divergence is saved
            if (r.Interrupted) { interrupted = true; partial = r; break; }   // a seed stopped part-way is not averaged in (its model is saved, marked interrupted)
            runs.Add(r);
            progress?.Report(new GraphTrainProgress(run, config.Seeds.Length, seed, null, best, GraphSeedResult.From(r)));
        }
        var result = GraphTrainResult.From(config, data.Name, runs, interrupted) with { Diverged = diverged, Warnings = warnings };
        if (folder is not null)
        {
            folder.WriteSummary(result);
            // the plots show the finished seeds, or, when the first seed was stopped, that seed so far
            if (runs.Count > 0) SavePlots(folder, config, data, runs, stopped: "");
            else if (partial is { BestEpoch: > 0 }) SavePlots(folder, config, data, [partial], stopped: partial.Diverged is null ? ", interrupted" : ", diverged");
        }
        return result;
    }

    private static void SavePlots(RunFolder folder, GraphTrainConfig c, CitationGraph data, IReadOnlyList<NodeTrainingResult> runs, string stopped)
    {
        string name = c.Model.ToString().ToUpperInvariant();
        string seeds = runs.Count == 1 ? $"seed {runs[0].Seed}{stopped}" : $"mean ± std over {runs.Count} seeds";
        var accuracy = new SvgChart($"{name} on {data.Name}: accuracy ({seeds})", "epoch", "accuracy");
        Band(accuracy, "train", runs, e => e.TrainAccuracy);
        Band(accuracy, "validation", runs, e => e.ValAccuracy);
        Band(accuracy, "test", runs, e => e.TestAccuracy);
        folder.SaveChart("accuracy.svg", accuracy);
        var loss = new SvgChart($"{name} on {data.Name}: cross-entropy ({seeds})", "epoch", "loss");
        Band(loss, "train", runs, e => e.TrainLoss);
        Band(loss, "validation", runs, e => e.ValLoss);
        folder.SaveChart("loss.svg", loss);
        var first = runs[0];
        var points = Projection.Pca2(first.Embedding);
        var share = Projection.VarianceShares(first.Embedding, points);
        folder.WriteText("embedding.svg", EmbeddingPlot.ToSvg(
            $"{name} hidden layer, seed {first.Seed}, epoch {first.BestEpoch}: 2 principal components, colour = class", points.Data, data.Labels, data.ClassNames,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PC 1 ({100 * share[0]:F1} % of variance)"),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PC 2 ({100 * share[1]:F1} % of variance)")));
    }

    /// <summary>Per epoch, the mean and standard deviation over the runs that reached it (runs with patience may stop early).</summary>
    private static void Band(SvgChart chart, string series, IReadOnlyList<NodeTrainingResult> runs, Func<EpochMetrics, float> value)
    {
        int epochs = runs.Max(r => r.Epochs.Count);
        var x = new double[epochs];
        var y = new double[epochs];
        var std = new double[epochs];
        for (int ep = 0; ep < epochs; ep++)
        {
            (y[ep], std[ep]) = Statistics.MeanStd(runs.Where(r => r.Epochs.Count > ep).Select(r => (double)value(r.Epochs[ep])));
            x[ep] = ep + 1;
        }
        chart.AddSeries(series, x, y, runs.Count > 1 ? std : null);
    }
}
