using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Interop.Onnx;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Export;

/// <summary>
/// <c>seqgraph export</c>: reads any checkpoint SeqGraph saves — the char-LSTM of <c>text train</c>,
/// the sequence classifiers of <c>rnn train</c> / <c>rnn sweep</c>, the GCN/GAT of <c>graph train</c>
/// (with the graph it was trained on) — and writes it as an ONNX model or as a PyTorch state_dict.
/// Writes no run folder; the output is written atomically and an existing file is replaced only
/// with <see cref="ExportConfig.Force"/>.
/// </summary>
public sealed class ModelExport : IExperiment<ExportConfig, string, ExportResult>
{
    /// <inheritdoc/>
    public static ExportResult Run(ExportConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        string dir = CheckpointFolder(config.Checkpoint);
        string kind = KindOf(dir);
        string outPath = config.Out ?? Path.Combine(dir, config.Format == ExportFormat.Onnx ? "model.onnx" : "pytorch.safetensors");
        CheckOutput(dir, outPath, config.Force);
        if (config.Format == ExportFormat.Pytorch) CheckOutput(dir, PyTorchExport.DescriptionPath(outPath), config.Force, $" (the description written next to {Path.GetFileName(outPath)})");
        string ext = Path.GetExtension(outPath).ToLowerInvariant();
        if (config.Format == ExportFormat.Pytorch && ext is ".onnx" or ".pt" or ".pth" or ".bin")
            throw new ConfigException("--out", $"--out: {outPath}: the PyTorch export is a safetensors file (load it with safetensors.torch.load_file, not torch.load); give a .safetensors name");
        if (config.Format == ExportFormat.Onnx && ext is ".safetensors" or ".pt" or ".pth" or ".json")
            throw new ConfigException("--out", $"--out: {outPath}: an ONNX model is usually named .onnx; give a .onnx name (or --format pytorch for a state_dict)");
        cancel.ThrowIfCancellationRequested();
        return config.Format switch
        {
            ExportFormat.Onnx => WriteOnnx(dir, kind, ToOnnx(dir, kind), outPath),
            ExportFormat.Pytorch => PyTorchExport.Write(dir, kind, outPath, config.Force),
            _ => throw new ConfigException("--format", $"--format: {config.Format.ToString().ToLowerInvariant()} export is not available for {kind} models"),
        };
    }

    /// <summary>The ONNX translation of the checkpoint in <paramref name="dir"/>, whose kind is <paramref name="kind"/>.</summary>
    private static OnnxExport ToOnnx(string dir, string kind) => kind switch
    {
        TextCheckpoint.Kind => CharLstmOnnx.Build(TextCheckpoint.LoadModel(dir)),
        RnnTraining.ModelKind => SequenceClassifierOnnx.Build(RnnTraining.LoadModel(dir).Model),
        NodeCheckpoint.Kind => GraphOnnx(dir),
        _ => throw new InvalidDataException($"{Path.Combine(dir, Checkpoint.SidecarFileName)}: a {DisplayText.Quote(kind)} model, which export does not know"),
    };

    private static OnnxExport GraphOnnx(string dir)
    {
        var saved = NodeCheckpoint.Load(dir);
        return NodeClassifierOnnx.Build(saved, GraphData(dir, saved));
    }

    private static CitationGraph GraphData(string dir, SavedNodeModel saved) =>
        NodeCheckpoint.LoadTrainedGraph(dir, saved, "the ONNX model holds that graph, so export needs it", "the ONNX model would hold the wrong graph");

    private static ExportResult WriteOnnx(string dir, string kind, OnnxExport export, string outPath)
    {
        try { OnnxGraphBuilder.Save(export.Model, outPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("--out", $"--out: cannot write '{outPath}': {e.Message}");
        }
        return new ExportResult(dir, kind, export.Description, ExportFormat.Onnx, new[] { outPath }, new FileInfo(outPath).Length, export.Parameters,
            export.Model.Graph.Input.Select(Value).ToArray(), export.Model.Graph.Output.Select(Value).ToArray(), export.Notes);
    }

    /// <summary>
    /// Refuses an output that would overwrite the checkpoint being read (even with --force), sit in a
    /// folder that does not exist, be a folder, or replace a file without --force.
    /// </summary>
    private static void CheckOutput(string dir, string path, bool force, string what = "")
    {
        string full = Path.GetFullPath(path);
        foreach (string own in new[] { Checkpoint.TensorsFileName, Checkpoint.SidecarFileName })
            if (string.Equals(full, Path.GetFullPath(Path.Combine(dir, own)), StringComparison.Ordinal))
                throw new ConfigException("--out", $"--out: {path}{what} is the checkpoint's own {own}; give another name (even --force does not replace the model being exported)");
        if (Directory.Exists(path)) throw new ConfigException("--out", $"--out: {path}{what} is a folder; give a file name");
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
            throw new ConfigException("--out", $"--out: folder '{Path.GetDirectoryName(path)}' does not exist; create it first");
        if (File.Exists(path) && !force)
            throw new ConfigException("--out", $"--out: {path}{what} exists; give another file, or --force to replace it");
    }

    private static ExportedValue Value(ValueInfoProto v)
    {
        var t = v.Type.TensorType;
        string type = ((TensorProto.Types.DataType)t.ElemType).ToString().ToLowerInvariant();
        return new ExportedValue(v.Name, type, t.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// The checkpoint folder meant by <paramref name="path"/>: the folder itself, the folder of a
    /// model.safetensors / model.json, or for a graph train run its lowest saved seed.
    /// </summary>
    internal static string CheckpointFolder(string path)
    {
        const string Hint = "give a folder holding model.safetensors and model.json (a text or rnn train run, a sweep's trial-<n>/, a graph run or its seed-<k>/)";
        if (Checkpoint.FolderOfFile(path) is { } folder) return folder;
        if (File.Exists(path)) throw new ConfigException("--checkpoint", $"--checkpoint: {path} is a file, not a checkpoint; {Hint}");
        if (!Directory.Exists(path)) throw new ConfigException("--checkpoint", $"--checkpoint: {path} does not exist; {Hint}");
        if (File.Exists(Path.Combine(path, Checkpoint.SidecarFileName)) || File.Exists(Path.Combine(path, Checkpoint.TensorsFileName))) return path;
        var seeds = Graph.GraphTraining.SavedSeeds(path);
        if (seeds.Count > 0) return seeds[0].Dir;
        throw new ConfigException("--checkpoint", $"--checkpoint: {path} holds no saved model; {Hint}");
    }

    /// <summary>The <c>"kind"</c> recorded in a checkpoint's model.json (the full load checks the rest).</summary>
    internal static string KindOf(string dir)
    {
        string sidecar = Path.Combine(dir, Checkpoint.SidecarFileName);
        if (!File.Exists(sidecar)) throw new FileNotFoundException($"{sidecar}: missing, so '{dir}' is not a complete checkpoint", sidecar);
        var o = CheckpointSidecar.Read(sidecar).Json; // strict and hash-checked, as the full load that follows
        return o["kind"] is JsonValue v && v.TryGetValue<string>(out var kind) ? kind
            : throw new InvalidDataException($"{sidecar}: has no \"kind\", so it is not a checkpoint SeqGraph wrote");
    }
}
