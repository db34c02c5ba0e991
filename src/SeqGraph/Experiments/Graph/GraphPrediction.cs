using System.Globalization;
using System.Text;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// <c>graph predict</c>: loads a model that <c>graph train</c> saved (seed-&lt;k&gt;/ of a run folder),
/// applies it in evaluation mode to every node of its data (or of another folder with the same
/// features and classes) and writes one CSV row per node:
/// <c>node,predicted,probability,label,split</c> — the node id, the predicted class, its softmax
/// probability, the true class when the node has one, and train / val / test or nothing. The
/// accuracies it reports are computed from those rows. Writes no run folder; the CSV is written
/// atomically.
/// </summary>
public sealed class GraphPrediction : IExperiment<GraphPredictConfig, string, GraphPredictResult>
{
    /// <summary>The CSV header.</summary>
    public const string Header = "node,predicted,probability,label,split";

    /// <inheritdoc/>
    public static GraphPredictResult Run(GraphPredictConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var threads = Parallelism.Use(config.Threads);
        string dir = ModelDirectory(config);
        var saved = NodeCheckpoint.Load(dir);
        if (saved.Interrupted)
            progress?.Report($"note: {dir} holds the model of an interrupted seed (its best epoch before the stop, {saved.Epoch})");
        string dataPath = config.Data ?? saved.Data;
        if (config.Data is null && !Directory.Exists(dataPath))
            throw new ConfigException("--data", $"--data: the model's data folder '{dataPath}' (recorded in {Path.Combine(dir, Checkpoint.SidecarFileName)}) does not exist here; give --data");
        var data = CitationGraph.Load(dataPath, saved.NormalizeFeatures, requireSplit: false);
        if (data.NumFeatures != saved.Features)
            throw new ConfigException("--data", $"--data: {data.Name} has {data.NumFeatures} features per node, but the model was trained on {saved.Features}");
        var modelClass = ModelClasses(data, saved);
        cancel.ThrowIfCancellationRequested();
        Tensor logits;
        using (Tape.NoGrad()) logits = saved.Model.Forward(data.Graph, data.Features);

        int k = saved.ClassNames.Length;
        var split = data.SplitOfNodes();
        var predicted = new int[data.NumNodes];
        var csv = new StringBuilder(Header).Append('\n');
        for (int i = 0; i < data.NumNodes; i++)
        {
            var row = logits.Data.AsSpan(i * k, k);
            int p = TensorPrimitives.IndexOfMax(row);
            predicted[i] = p;
            double probability = Math.Exp(row[p] - Softmax.LogSumExp(row));
            int label = data.Labels[i];
            csv.Append(Csv(data.NodeIds[i])).Append(',').Append(Csv(saved.ClassNames[p])).Append(',')
               .Append(probability.ToString("F4", CultureInfo.InvariantCulture)).Append(',')
               .Append(label == CitationGraph.Unlabelled ? "" : Csv(saved.ClassNames[modelClass[label]])).Append(',')
               .Append(split[i]).Append('\n');
        }
        string outPath = config.Out ?? Path.Combine(dir, "predictions.csv");
        try { AtomicFile.WriteAllText(outPath, csv.ToString()); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new ConfigException("--out", $"--out: cannot write '{outPath}': {e.Message}");
        }
        double Acc(int[] nodes) => nodes.Length == 0 ? 0 : (float)nodes.Count(i => predicted[i] == modelClass[data.Labels[i]]) / nodes.Length;
        return new GraphPredictResult
        {
            Model = saved.Options.Model, Seed = saved.Seed, Epoch = saved.Epoch, Dataset = data.Name, Data = dataPath,
            Nodes = data.NumNodes, LabelledNodes = data.LabelledNodes,
            TrainNodes = data.Train.Length, ValNodes = data.Val.Length, TestNodes = data.Test.Length,
            TrainAccuracy = Acc(data.Train), ValAccuracy = Acc(data.Val), TestAccuracy = Acc(data.Test),
            TrainedTestAccuracy = saved.TestAccuracy, Predictions = outPath,
        };
    }

    /// <summary>The model's class index of each of the data's classes, matched by name (a graph may lack some classes, never add one).</summary>
    internal static int[] ModelClasses(CitationGraph data, SavedNodeModel saved)
    {
        var modelClass = new int[data.NumClasses];
        for (int c = 0; c < data.NumClasses; c++)
        {
            modelClass[c] = Array.IndexOf(saved.ClassNames, data.ClassNames[c]);
            if (modelClass[c] < 0)
                throw new ConfigException("--data", $"--data: {data.Name}.content has class '{InputError.OneLine(data.ClassNames[c])}', which the model does not know (its classes: {string.Join(", ", saved.ClassNames)})");
        }
        return modelClass;
    }

    /// <summary>The seed-&lt;k&gt; folder to load: the one asked for, or the lowest seed saved.</summary>
    private static string ModelDirectory(GraphPredictConfig c) => ModelDirectory(c.Run, c.Seed);

    /// <summary>The seed-&lt;k&gt; folder of run <paramref name="run"/> to load: seed <paramref name="seed"/>'s, or the lowest seed saved.</summary>
    internal static string ModelDirectory(string run, ulong? seed)
    {
        if (!Directory.Exists(run)) throw new ConfigException("--run", $"--run: folder '{run}' does not exist");
        var saved = GraphTraining.SavedSeeds(run);
        if (saved.Count == 0)
            throw new ConfigException("--run", $"--run: {run} holds no saved graph model (seed-<k>/{Checkpoint.TensorsFileName}); is it a graph train run?");
        if (seed is not { } s) return saved[0].Dir;
        var hit = saved.FirstOrDefault(x => x.Seed == s);
        return hit.Dir ?? throw new ConfigException("--seed", $"--seed: {run} has no saved model for seed {s} (saved: {string.Join(", ", saved.Select(x => x.Seed))})");
    }

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break.</summary>
    private static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
