using System.Text.Json.Nodes;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>
/// A trained node classifier as a <see cref="Checkpoint"/> folder. <c>model.safetensors</c> holds
/// the parameters of the selected epoch under PyTorch Geometric's names and shapes:
/// GCN <c>conv1.lin.weight</c> [hidden, features], <c>conv1.bias</c> [hidden], <c>conv2.lin.weight</c>
/// [classes, hidden], <c>conv2.bias</c> [classes]; GAT <c>conv{1,2}.lin.weight</c> [heads·out, in],
/// <c>conv{1,2}.att_src</c> and <c>att_dst</c> [1, heads, out], <c>conv{1,2}.bias</c>. (The layers
/// keep their weights as [in, out]; the file stores them transposed, as <c>torch.nn.Linear</c> does.)
/// <c>model.json</c> holds <c>"kind"</c>, the training settings, the feature count, the class names,
/// the data folder and whether its features were row-normalised, the seed, the epoch and its accuracies.
/// </summary>
public static class NodeCheckpoint
{
    /// <summary>The sidecar's <c>"kind"</c>.</summary>
    public const string Kind = "node-classifier";

    /// <summary>Writes the selected epoch's parameters of <paramref name="run"/> into <paramref name="dir"/> (atomically, see <see cref="Checkpoint"/>).</summary>
    public static void Save(string dir, NodeTrainingResult run, NodeTrainingOptions options, CitationGraph data, string dataFolder, bool normalizeFeatures)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var tensors = run.BestParameters.ToDictionary(p => FileName(p.Key), p => ToFile(p.Key, p.Value));
        var settings = new NodeTrainingOptions
        {
            Model = options.Model, Epochs = options.Epochs, Hidden = options.Hidden, Heads = options.Heads, OutputHeads = options.OutputHeads,
            Dropout = options.Dropout, Lr = options.Lr, WeightDecay = options.WeightDecay, Patience = options.Patience,
        };
        var sidecar = new JsonObject
        {
            ["kind"] = Kind,
            ["train"] = RunJson.ToNode(settings),
            ["features"] = data.NumFeatures,
            ["class_names"] = new JsonArray(data.ClassNames.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["data"] = Path.GetFullPath(dataFolder),
            ["dataset"] = data.Name,
            ["graph"] = new JsonObject { ["nodes"] = data.NumNodes, ["edges"] = data.Graph.NumEdges, ["sha256"] = data.StructureSha256() },
            ["normalize_features"] = normalizeFeatures,
            ["seed"] = run.Seed,
            ["epoch"] = run.BestEpoch,
            ["val_accuracy"] = run.Best.ValAccuracy,
            ["test_accuracy"] = run.Best.TestAccuracy,
            ["interrupted"] = run.Interrupted,
        };
        Checkpoint.Save(dir, tensors, sidecar);
    }

    /// <summary>Reads a folder written by <see cref="Save"/>; the model is in evaluation mode.</summary>
    /// <exception cref="InvalidDataException">The folder is not a complete node-classifier checkpoint.</exception>
    public static SavedNodeModel Load(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        (NodeTrainingOptions Options, int Features, string[] Classes) settings = default;
        string ctx = Path.Combine(dir, Checkpoint.SidecarFileName), tensorsPath = Path.Combine(dir, Checkpoint.TensorsFileName);
        // the sizes are checked against the tensor file's header before the model (or any tensor) is allocated
        var data = Checkpoint.Load(dir, header => { settings = ReadSettings(header); (ctx, tensorsPath) = (header.SidecarPath, header.TensorsPath); });
        var json = data.Sidecar;
        var (options, features, classes) = settings;
        var model = options!.CreateModel(features, classes!.Length, new Rng(0));
        var own = data.Tensors.ToDictionary(p => ModuleName(p.Key), p => FromFile(p.Key, p.Value));
        try { Checkpoint.LoadModule(model, own); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"{tensorsPath}: does not fit a {options.Model.ToString().ToUpperInvariant()} with {features} features, {classes.Length} classes and the saved sizes ({DisplayText.OneLine(e.Message)})");
        }
        foreach (var p in model.Parameters())
            if (!TensorPrimitives.IsFiniteAll<float>(p.Data)) throw new InvalidDataException($"{tensorsPath}: a parameter holds non-finite values");
        model.Eval();
        return new SavedNodeModel(model, options, features, classes, Checkpoint.Get<string>(json, "data", ctx), Checkpoint.Get<string>(json, "dataset", ctx),
            Checkpoint.Get<bool>(json, "normalize_features", ctx), Checkpoint.Get<ulong>(json, "seed", ctx), Checkpoint.Get<int>(json, "epoch", ctx),
            Checkpoint.Get<double>(json, "val_accuracy", ctx), Checkpoint.Get<double>(json, "test_accuracy", ctx), Checkpoint.Get<bool>(json, "interrupted", ctx),
            json["graph"] is JsonObject graph ? Checkpoint.Get<string>(graph, "sha256", ctx + ": graph") : null); // absent in checkpoints saved before 2026-12-02
    }

    /// <summary>The settings, feature count and class names of a checked pair, its sizes bounded and matched to the header.</summary>
    private static (NodeTrainingOptions, int, string[]) ReadSettings(CheckpointHeader header)
    {
        var json = header.Sidecar;
        string ctx = header.SidecarPath;
        if (json["kind"] is not JsonValue k || !k.TryGetValue<string>(out var kind) || kind != Kind)
            throw new InvalidDataException($"{ctx}: not a graph model (\"kind\" is not \"{Kind}\")");
        var options = RunJson.FromNode<NodeTrainingOptions>(json["train"], ctx + ": train", requireAll: true);
        try { options.Validate(); }
        catch (ConfigException e) { throw new InvalidDataException($"{ctx}: invalid settings ({e.Message})"); }
        header.RequireSize("train.hidden", options.Hidden);
        int heads = header.RequireSize("train.heads", options.Heads, CheckpointHeader.MaxDepth), outHeads = header.RequireSize("train.output_heads", options.OutputHeads, CheckpointHeader.MaxDepth);
        int features = header.RequireSize("features", Checkpoint.Get<int>(json, "features", ctx));
        if (json["class_names"] is not JsonArray names || names.Count == 0) throw new InvalidDataException($"{ctx}: \"class_names\" is missing or empty");
        header.RequireSize("class_names", names.Count);
        var classes = names.Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new InvalidDataException($"{ctx}: class_names[{i}] is not a string")).ToArray();
        header.RequireParameters(ClosedFormParameters(options, features, classes.Length),
            $"a {options.Model.ToString().ToUpperInvariant()} with {features:N0} features, hidden {options.Hidden:N0}{(options.Model == GraphModel.Gcn ? "" : $", {heads} heads")} and {classes.Length:N0} classes",
            CheckpointHeader.MaxParameters);
        return (options, features, classes);
    }

    /// <summary>The parameters of the model <paramref name="options"/> describe, without building it (sizes bounded by the caller, so no overflow).</summary>
    internal static long ClosedFormParameters(NodeTrainingOptions options, long features, long classes)
    {
        long h = options.Hidden, heads = options.Heads, outHeads = options.OutputHeads;
        return options.Model == GraphModel.Gcn
            ? features * h + h + h * classes + classes
            // GAT: weight, att_src, att_dst and bias per layer; the output layer averages its heads, so its bias has one value per class
            : features * heads * h + 3 * heads * h + heads * h * outHeads * classes + 2 * outHeads * classes + classes;
    }

    /// <summary>
    /// The graph the model in <paramref name="dir"/> was trained on, from the data folder its checkpoint
    /// records, checked to have the structure (<see cref="CitationGraph.StructureSha256"/>) it was trained
    /// on; <paramref name="need"/> and <paramref name="refusal"/> end the two error lines (why the graph is needed, what would go wrong).
    /// </summary>
    /// <exception cref="InvalidDataException">The folder is gone, or its nodes or edges changed since.</exception>
    public static CitationGraph LoadTrainedGraph(string dir, SavedNodeModel saved, string need, string refusal)
    {
        ArgumentNullException.ThrowIfNull(saved);
        if (!Directory.Exists(saved.Data))
            throw new InvalidDataException($"{Path.Combine(dir, Checkpoint.SidecarFileName)}: the graph the model was trained on ({DisplayText.Quote(saved.Data)}) does not exist here; {need}");
        var data = CitationGraph.Load(saved.Data, saved.NormalizeFeatures, requireSplit: false);
        if (saved.GraphSha256 is { } sha && sha != data.StructureSha256())
            throw new InvalidDataException($"{saved.Data}: its graph ({data.NumNodes:N0} nodes, {data.Graph.NumEdges:N0} edges) is not the one the model in {dir} was trained on (nodes or edges changed since); {refusal}");
        return data;
    }

    // A layer's [in, out] weight is PyG's lin.weight [out, in]; GAT's attention vectors [heads, out] are PyG's [1, heads, out].
    private static string FileName(string name) => name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] + ".lin.weight" : name;

    private static string ModuleName(string name) => name.EndsWith(".lin.weight", StringComparison.Ordinal) ? name[..^".lin.weight".Length] + ".weight" : name;

    private static bool IsAttention(string name) => name.EndsWith(".att_src", StringComparison.Ordinal) || name.EndsWith(".att_dst", StringComparison.Ordinal);

    private static Tensor ToFile(string name, Tensor t)
    {
        if (name.EndsWith(".weight", StringComparison.Ordinal) && t.Rank == 2) return Transpose(t);
        if (IsAttention(name) && t.Rank == 2) return new Tensor((float[])t.Data.Clone(), 1, t.Shape[0], t.Shape[1]);
        return t;
    }

    private static Tensor FromFile(string name, Tensor t)
    {
        if (name.EndsWith(".lin.weight", StringComparison.Ordinal) && t.Rank == 2) return Transpose(t);
        if (IsAttention(name) && t.Rank == 3 && t.Shape[0] == 1) return new Tensor(t.Data, t.Shape[1], t.Shape[2]);
        return t;
    }

    // a copy of a matrix's transpose, outside any tape (weights are stored as [out, in] and used as [in, out])
    private static Tensor Transpose(Tensor t)
    {
        using var _ = Tape.NoGrad();
        return Ops.Transpose(t);
    }

}
