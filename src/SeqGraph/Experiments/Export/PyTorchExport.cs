using System.Text.Json.Nodes;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Interop.PyTorch;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Export;

/// <summary>
/// The PyTorch branch of <see cref="ModelExport"/>: the checkpoint's state_dict as safetensors
/// (metadata format "pt", only the module's tensors) and its JSON description next to it (the same
/// name with .json).
/// </summary>
public static class PyTorchExport
{
    /// <summary>The description written next to <paramref name="stateDict"/>: the same name with .json.</summary>
    public static string DescriptionPath(string stateDict) => Path.ChangeExtension(stateDict, ".json");

    /// <summary>Translates the checkpoint in <paramref name="dir"/> (of <paramref name="kind"/>) and writes both files.</summary>
    public static ExportResult Write(string dir, string kind, string outPath, bool force)
    {
        string jsonPath = DescriptionPath(outPath);
        if (Path.GetFullPath(jsonPath) == Path.GetFullPath(outPath))
            throw new ConfigException("--out", $"--out: {outPath} ends in .json, the name of the description written next to the state_dict; give a .safetensors name");
        var sd = Translate(dir, kind);
        // The pair is written as two temporary files first, then renamed into place: a failure leaves
        // neither a new state_dict beside a stale description nor half of a pair.
        string tmpTensors = outPath + ".tmp-export", tmpJson = jsonPath + ".tmp-export";
        try
        {
            Safetensors.Write(tmpTensors, sd.Tensors, new Dictionary<string, string> { ["format"] = "pt" });
            AtomicFile.WriteAllText(tmpJson, sd.Description.ToJsonString(RunJson.Options) + "\n");
            File.Move(tmpJson, jsonPath, overwrite: true);
            File.Move(tmpTensors, outPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("--out", $"--out: cannot write '{outPath}': {e.Message}");
        }
        finally
        {
            File.Delete(tmpTensors);
            File.Delete(tmpJson);
        }
        var tensors = sd.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ExportedValue(kv.Key, "float", kv.Value.Shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())).ToArray();
        return new ExportResult(dir, kind, sd.Model, ExportFormat.Pytorch, new[] { outPath, jsonPath }, new FileInfo(outPath).Length, sd.Parameters,
            Array.Empty<ExportedValue>(), tensors, sd.Notes);
    }

    private static PyTorchStateDict Translate(string dir, string kind) => kind switch
    {
        TextCheckpoint.Kind => CharLstmPyTorch.Export(TextCheckpoint.LoadModel(dir)),
        RnnTraining.ModelKind => ClassifierPyTorch.Export(RnnTraining.LoadModel(dir).Model, dir),
        NodeCheckpoint.Kind => throw new InvalidDataException(
            $"{dir}: graph models are not exported as a PyTorch state_dict: PyTorch Geometric's parameter names for its GCNConv/GATConv layers have changed between releases, so no single state_dict loads strictly in every version; " +
            $"its {Checkpoint.TensorsFileName} already holds the weights under PyG's names (conv1.lin.weight, conv1.bias, …), or use --format onnx"),
        _ => throw new InvalidDataException($"{Path.Combine(dir, Checkpoint.SidecarFileName)}: a {DisplayText.Quote(kind)} model, which export does not know"),
    };
}
