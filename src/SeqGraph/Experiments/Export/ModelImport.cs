using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Interop.PyTorch;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Export;

/// <summary>
/// <c>seqgraph import</c>: reads PyTorch's char-LSTM state_dict with its JSON description
/// (<see cref="CharLstmImport"/>: strict, one line naming the file and tensor on any mismatch) and
/// writes a char-lstm checkpoint at step 0 with fresh optimizer state (<see cref="TextCheckpoint.SaveFresh"/>):
/// <c>text sample --checkpoint</c> reads it and <c>text train --resume</c> fine-tunes from it on a corpus
/// with the same vocabulary. Nothing is written unless everything checks out.
/// </summary>
public sealed class ModelImport : IExperiment<ImportConfig, string, ImportResult>
{
    /// <summary>The training settings recorded when none are given: <c>text train</c>'s defaults, 10 000 steps.</summary>
    public static readonly TextTrainConfig DefaultTrain = new() { Corpus = CorpusPlaceholder, Steps = 10_000, Threads = 1 };

    /// <summary>
    /// The corpus an imported checkpoint records: none was read, so a resume must give <c>--corpus</c>
    /// (the path does not exist, and loading it says so).
    /// </summary>
    public const string CorpusPlaceholder = "(no corpus: give --corpus)";

    /// <inheritdoc/>
    public static ImportResult Run(ImportConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        string json = config.Description ?? PyTorchExport.DescriptionPath(config.StateDict);
        string outDir = config.Out;
        CheckOut(outDir, config.Force);
        var imported = CharLstmImport.Read(config.StateDict, json);
        cancel.ThrowIfCancellationRequested();
        var c = imported.Model.Config;
        var train = (config.Train ?? DefaultTrain) with { Embed = c.Embed, Hidden = c.Hidden, Layers = c.Layers, Dropout = c.Dropout };
        train.Validate();
        var extra = new JsonObject
        {
            ["imported"] = new JsonObject
            {
                ["format"] = "pytorch", ["state_dict"] = Path.GetFileName(config.StateDict), ["description"] = Path.GetFileName(json),
                ["bias_hh_folded"] = imported.BiasHhFolded,
            },
        };
        try { TextCheckpoint.SaveFresh(imported.Model, imported.Vocabulary, train, outDir, extra); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("--out", $"--out: cannot write the checkpoint into '{outDir}': {e.Message}");
        }
        var notes = imported.Notes.Append($"sample: seqgraph text sample --checkpoint {outDir}; fine-tune: seqgraph text train --resume {outDir} --corpus FILE --out NEW --steps N " +
            "(the corpus must have exactly the model's vocabulary)").ToArray();
        return new ImportResult(config.StateDict, json, outDir, TextCheckpoint.Kind, CharLstmPyTorch.Describe(c), imported.Model.ParameterCount,
            TextCorpus.Decode(imported.Vocabulary, Enumerable.Range(0, imported.Vocabulary.Length).ToArray()), imported.Tensors, imported.BiasHhFolded,
            new[] { Path.Combine(outDir, Checkpoint.TensorsFileName), Path.Combine(outDir, Checkpoint.SidecarFileName) }, notes);
    }

    // An existing folder may hold only an earlier checkpoint (replaced with --force): never a run's other files.
    private static void CheckOut(string dir, bool force)
    {
        if (!Directory.Exists(dir)) return;
        var entries = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToList();
        if (entries.Count == 0) return;
        var others = entries.Where(n => n is not (Checkpoint.TensorsFileName or Checkpoint.SidecarFileName)).Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
            throw new ConfigException("--out", $"--out: {dir} holds other files ({string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", …" : "")}); give a new or empty folder");
        if (!force) throw new ConfigException("--out", $"--out: {dir} already holds a checkpoint; give another folder, or --force to replace it");
    }
}
