using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>
/// What a path given as a text checkpoint (<c>--checkpoint</c>, <c>--resume</c>) is: a run folder,
/// one of its two checkpoint files (taken as its folder), or something else, said in one line —
/// a missing or empty folder, a file, or the folder of another kind of run (read from its
/// <c>config.json</c> or <c>summary.json</c>: "runs/x is an rnn train run, not a text model").
/// </summary>
public static class TextCheckpointFolder
{
    /// <summary>
    /// The checkpoint folder meant by <paramref name="path"/>: the path itself, or the folder of a
    /// <c>model.safetensors</c> or <c>model.json</c> file. Throws <see cref="DirectoryNotFoundException"/>
    /// or <see cref="InvalidDataException"/> with one clear line when it cannot hold a text checkpoint.
    /// A folder with only one of the two files is returned as it is (loading then names the missing file).
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Checkpoint.FolderOfFile(path) is { } folder) return folder;
        if (File.Exists(path))
            throw new InvalidDataException($"{path} is a file, not a checkpoint: give the folder of a text train run (it holds {Checkpoint.TensorsFileName} and {Checkpoint.SidecarFileName})");
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path} does not exist: give the folder of a text train run (it holds {Checkpoint.TensorsFileName} and {Checkpoint.SidecarFileName})");
        if (File.Exists(Path.Combine(path, Checkpoint.TensorsFileName)) || File.Exists(Path.Combine(path, Checkpoint.SidecarFileName)))
            return path;
        if (!Directory.EnumerateFileSystemEntries(path).Any(e => !Path.GetFileName(e).StartsWith('.')))
            throw new InvalidDataException($"{path} is empty: there is no checkpoint in it ({Checkpoint.TensorsFileName}, {Checkpoint.SidecarFileName}); give the folder of a text train run");
        string? kind = Describe(path);
        if (kind is not null && kind != TextRun) throw OtherRun(path, kind);
        throw new InvalidDataException(kind == TextRun
            ? $"{path} is a text train run without a checkpoint ({Checkpoint.TensorsFileName} and {Checkpoint.SidecarFileName} are missing: was it stopped before its first save?)"
            : $"{path} holds no checkpoint ({Checkpoint.TensorsFileName}, {Checkpoint.SidecarFileName}); give the folder of a text train run");
    }

    /// <summary>
    /// The error for a folder <paramref name="path"/> whose checkpoint is not a character model:
    /// names the kind of run when its <c>config.json</c> or <c>summary.json</c> tells it, else the
    /// checkpoint's own <paramref name="checkpointKind"/>.
    /// </summary>
    public static InvalidDataException NotText(string path, string? checkpointKind)
    {
        string? kind = Describe(path);
        if (kind is not null && kind != TextRun) return OtherRun(path, kind);
        string what = checkpointKind is null ? "has no \"kind\"" : $"is of kind {System.Text.Json.JsonSerializer.Serialize(checkpointKind)}";
        return new InvalidDataException($"{Path.Combine(path, Checkpoint.SidecarFileName)}: not a character-model checkpoint (it {what}, not \"{TextCheckpoint.Kind}\")");
    }

    /// <summary>
    /// The kind of run whose folder <paramref name="path"/> is ("a text train run", "an rnn train run",
    /// "an rnn sweep run", "an rnn gradients run", "a graph train run"), from the keys of its
    /// <c>config.json</c> or else its <c>summary.json</c>; null when neither tells.
    /// </summary>
    public static string? Describe(string path)
    {
        foreach (string file in new[] { RunFolder.ConfigFileName, RunFolder.SummaryFileName })
        {
            JsonObject? o;
            if (!InputFile.IsRegular(Path.Combine(path, file))) continue;
            try { o = JsonNode.Parse(File.ReadAllText(Path.Combine(path, file))) as JsonObject; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { continue; }
            if (o is null) continue;
            if (o.ContainsKey("corpus")) return TextRun;
            if (o.ContainsKey("after_steps")) return "an rnn gradients run";
            if (o.ContainsKey("lengths")) return "an rnn sweep run";
            if (o.ContainsKey("task")) return "an rnn train run";
            if (o.ContainsKey("dataset")) return "a graph train run";
        }
        return null;
    }

    /// <summary>What <see cref="Describe"/> says of a text train run.</summary>
    public const string TextRun = "a text train run";

    private static InvalidDataException OtherRun(string path, string kind) =>
        new($"{path} is {kind}, not a text model; give the folder of a text train run (it holds {Checkpoint.TensorsFileName} and {Checkpoint.SidecarFileName})");
}
