using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Nn.Graph;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// The graph view of one seed's model of a <c>graph train</c> run (the dashboard's graph tab): loads
/// the model (<see cref="NodeCheckpoint"/>) and the graph it was trained on (refused when that folder
/// is gone or its structure changed since, as export refuses it), runs the model in evaluation mode and
/// projects its hidden layer on two principal components with <see cref="Projection.Pca2"/>, as
/// <c>embedding.svg</c> does. Predictions are those of <c>graph predict</c>; for GAT the attention
/// coefficients of both layers are read from the layers themselves. Writes nothing.
/// </summary>
public sealed class GraphView : IExperiment<GraphViewConfig, string, GraphViewResult>
{
    /// <inheritdoc/>
    public static GraphViewResult Run(GraphViewConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var threads = Parallelism.Use(config.Threads);
        string dir = GraphPrediction.ModelDirectory(config.Run, config.Seed);
        var saved = NodeCheckpoint.Load(dir);
        var data = NodeCheckpoint.LoadTrainedGraph(dir, saved, "the graph view needs it", "the view would show another graph");
        if (data.NumFeatures != saved.Features)
            throw new InvalidDataException($"{saved.Data}: has {data.NumFeatures} features per node, but the model in {dir} was trained on {saved.Features}");
        var modelClass = GraphPrediction.ModelClasses(data, saved);
        cancel.ThrowIfCancellationRequested();
        progress?.Report($"model of seed {saved.Seed} on {data.Name}");

        var model = saved.Model;
        Tensor logits;
        using (Tape.NoGrad()) logits = model.Forward(data.Graph, data.Features);
        var hidden = model.LastHidden ?? throw new InvalidOperationException("the model kept no hidden layer");
        var points = Projection.Pca2(hidden);
        var shares = Projection.VarianceShares(hidden, points);
        float[][]? attention = model is Gat gat ? gat.AttentionCoefficients(data.Graph, data.Features) : null;
        cancel.ThrowIfCancellationRequested();

        int n = data.NumNodes, k = saved.ClassNames.Length;
        var predicted = new int[n];
        var labels = new int[n];
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            predicted[i] = TensorPrimitives.IndexOfMax(logits.Data.AsSpan(i * k, k));
            labels[i] = data.Labels[i] == CitationGraph.Unlabelled ? -1 : modelClass[data.Labels[i]];
            (x[i], y[i]) = (points.Data[2 * i], points.Data[2 * i + 1]);
        }
        return new GraphViewResult(data.Graph, attention)
        {
            Model = saved.Options.Model.ToString().ToLowerInvariant(), Seed = saved.Seed,
            Seeds = GraphTraining.SavedSeeds(config.Run).Select(s => s.Seed).ToArray(), Epoch = saved.Epoch,
            Data = saved.Data, ModelFolder = dir, Dataset = data.Name, ClassNames = saved.ClassNames, VarianceShares = shares,
            Heads = model is Gat g ? [g.Conv1.Heads, g.Conv2.Heads] : [],
            NodeIds = data.NodeIds, X = x, Y = y, Labels = labels, Predicted = predicted, Split = data.SplitOfNodes(),
            Degree = data.Graph.Degrees(),
            TestAccuracy = data.Test.Length == 0 ? 0 : (float)data.Test.Count(i => predicted[i] == labels[i]) / data.Test.Length,
            TrainedTestAccuracy = saved.TestAccuracy,
        };
    }
}
