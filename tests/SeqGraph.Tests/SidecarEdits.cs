using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Tests;

/// <summary>
/// Edits of a checkpoint's model.json made on purpose by tests that check what a load says of the
/// edited content: the file's own hash is recomputed (a load refuses any edit it does not cover), or
/// the file is rewritten as a version-1 sidecar, as checkpoints from before the own hash are.
/// </summary>
internal static class SidecarEdits
{
    /// <summary>Writes <paramref name="text"/> as the sidecar at <paramref name="path"/>, its own hash recomputed.</summary>
    public static void WriteSealed(string path, string text)
    {
        File.WriteAllText(path, text);
        CheckpointSidecar.Reseal(path);
    }

    /// <summary>Writes <paramref name="json"/> as a version-1 sidecar (no own hash), as a checkpoint from before version 2.</summary>
    public static void WriteVersion1(string path, JsonObject json)
    {
        json.Remove(CheckpointSidecar.HashKey);
        json["format_version"] = 1;
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>The sidecar at <paramref name="path"/> as an object.</summary>
    public static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
