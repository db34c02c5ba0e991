using System.Globalization;
using System.Text.Json;
using SeqGraph.Data;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Graph;
using SeqGraph.Training;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// The GCN/GAT of <c>graph train</c>, with the graph it was trained on built in, as ONNX. Input
/// <c>x</c> float [nodes, features]: the node features as the data files give them, rows in the
/// order of the metadata's <c>node_ids</c> (a model trained on row-normalised features normalises
/// them itself, as SeqGraph's loader does). Output <c>logits</c> float [nodes, classes]: what
/// <see cref="NodeClassifier.Forward"/> returns in evaluation mode — class scores before any
/// softmax — columns in the order of the metadata's <c>class_names</c>. Message passing runs over
/// edge lists (see <see cref="OnnxMessagePassing"/>), O(edges); dropout is absent (evaluation).
/// </summary>
public static class NodeClassifierOnnx
{
    /// <summary>Translates <paramref name="saved"/> for the graph of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">The data does not fit the model (feature or class count).</exception>
    public static OnnxExport Build(SavedNodeModel saved, CitationGraph data)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(data);
        if (data.NumFeatures != saved.Features)
            throw new InvalidDataException($"graph '{data.Name}' has {data.NumFeatures} features per node, but the model was trained with {saved.Features}");
        if (data.NumClasses > saved.ClassNames.Length)
            throw new InvalidDataException($"graph '{data.Name}' has {data.NumClasses} classes, but the model knows {saved.ClassNames.Length}");
        string kind = saved.Model switch
        {
            Gcn => "gcn",
            Gat => "gat",
            var other => throw new ArgumentException($"no ONNX translation for a {other.GetType().Name}", nameof(saved)),
        };
        int n = data.NumNodes, f = data.NumFeatures, classes = saved.ClassNames.Length;
        var g = new OnnxGraphBuilder($"seqgraph_{kind}_{data.Name}");
        var x = g.Input("x", TensorProto.Types.DataType.Float, n, f);
        var mp = new OnnxMessagePassing(g, data.Graph);
        var h = saved.NormalizeFeatures ? mp.RowNormalize(x) : x;
        string logits, description;
        var inv = CultureInfo.InvariantCulture;
        switch (saved.Model)
        {
            case Gcn gcn:
                h = g.Node("Relu", new[] { mp.Gcn(h, gcn.Conv1, "conv1") }, (string?)null);
                logits = mp.Gcn(h, gcn.Conv2, "conv2");
                description = string.Create(inv, $"GCN, hidden {gcn.Conv1.OutFeatures}, {classes} classes, on {data.Name} ({n:N0} nodes, {f:N0} features, {mp.Edges:N0} edges with self loops)");
                break;
            case Gat gat:
                h = g.Node("Elu", new[] { mp.Gat(h, gat.Conv1, "conv1") }, (string?)null, ("alpha", 1f));
                logits = mp.Gat(h, gat.Conv2, "conv2");
                description = string.Create(inv, $"GAT, {gat.Conv1.Heads} heads × {gat.Conv1.OutPerHead} hidden, {(gat.Conv2.Heads == 1 ? "1 output head" : $"{gat.Conv2.Heads} output heads averaged")}, {classes} classes, on {data.Name} ({n:N0} nodes, {f:N0} features, {mp.Edges:N0} edges with self loops)");
                break;
            default: throw new InvalidOperationException("unreachable");
        }
        g.Output(logits, "logits", TensorProto.Types.DataType.Float, n, classes);

        string norm = saved.NormalizeFeatures ? "row-normalises them itself (each row divided by its sum; a row summing to 0 is left alone)" : "uses them as they are (the model was trained without row normalisation)";
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = NodeCheckpoint.Kind,
            ["model"] = kind,
            ["dataset"] = data.Name,
            ["input"] = string.Create(inv, $"x: node features as the data files give them, [{n}, {f}], row r = node node_ids[r]"),
            ["output"] = string.Create(inv, $"logits: class scores before softmax (argmax = predicted class), [{n}, {classes}], column c = class class_names[c]"),
            ["normalize_features"] = saved.NormalizeFeatures ? "true" : "false",
            ["class_names"] = JsonSerializer.Serialize(saved.ClassNames),
            ["node_ids"] = JsonSerializer.Serialize(data.NodeIds),
            ["edges"] = mp.Edges.ToString(inv),
            ["weighted_edges"] = data.Graph.Weighted ? "true" : "false",
            ["seed"] = saved.Seed.ToString(inv),
            ["epoch"] = saved.Epoch.ToString(inv),
        };
        var notes = new List<string>
        {
            string.Create(inv, $"x holds the {n:N0} nodes' raw features, rows in the order of the metadata's node_ids; the model {norm}"),
            "logits are class scores before softmax; their columns follow the metadata's class_names",
            string.Create(inv, $"the graph ({mp.Edges:N0} edges with self loops) is built in: the model applies to these nodes only; new features for them are fine"),
        };
        if (data.Graph.Weighted)
            notes.Add(kind == "gcn" ? "edge weights are part of Â, as in training" : "edge weights are ignored, as GAT does in training");
        var model = g.ToModel($"SeqGraph {description}; trained with seed {saved.Seed}, epoch {saved.Epoch}", metadata);
        return new OnnxExport(model, description, saved.Model.ParameterCount, notes.ToArray());
    }
}
