using System.Text.Json.Nodes;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// Mutants of the baseline's checkpoints (a text run, an rnn run, a graph run's seed-0): one file of
/// the pair edited (bytes, JSON structure, safetensors header, a huge vocabulary) or deleted, then
/// loaded by a command that reads it. Every byte a load depends on is meant to be covered by a hash,
/// so exit 0 on a changed pair is a silently accepted corruption.
/// </summary>
internal static class CheckpointFamily
{
    /// <summary>The family's name on the command line and in the table.</summary>
    public const string Name = "checkpoints";

    /// <summary>Makes case <paramref name="index"/> in <paramref name="dir"/>.</summary>
    public static FuzzCase Make(Rng rng, Baseline b, string dir, int index)
    {
        int which = rng.NextInt(10);
        string kind = which < 5 ? "text" : which < 7 ? "rnn" : "graph";
        string run = Path.Combine(dir, kind);
        Baseline.Copy(kind switch { "text" => b.TextRun, "rnn" => b.RnnRun, _ => b.GraphRun }, run);
        string ckpt = kind == "graph" ? Path.Combine(run, "seed-0") : run;
        string file = Path.Combine(ckpt, rng.NextInt(2) == 0 ? "model.json" : "model.safetensors");
        byte[] before = File.ReadAllBytes(file);
        string mutation;
        bool changed = true;
        int how = rng.NextInt(20);
        if (how == 0)
        {
            File.Delete(file);
            mutation = "delete";
        }
        else
        {
            byte[] after;
            bool json = file.EndsWith(".json", StringComparison.Ordinal);
            (after, mutation) = how switch
            {
                < 8 => Mutate.Bytes(rng, before),
                < 9 when json && kind == "text" => Mutate.HugeVocabulary(before),
                < 18 when json => Mutate.Json(rng, before),
                < 18 => Mutate.SafetensorsHeader(rng, before),
                _ => Mutate.Bytes(rng, before),
            };
            changed = !SameDocument(before, after, json);
            File.WriteAllBytes(file, after);
        }
        string onnx = Path.Combine(dir, "m.onnx");
        string[] args = kind switch
        {
            "text" => rng.NextInt(5) switch
            {
                0 => ["text", "sample", "--checkpoint", ckpt, "--length", "8", "--seed", "1"],
                1 => ["text", "eval", "--checkpoint", ckpt, "--corpus", b.Corpus],
                2 => ["text", "train", "--resume", ckpt, "--steps", "5", "--threads", "1"],
                3 => ["export", "--checkpoint", ckpt, "--out", onnx],
                _ => ["export", "--checkpoint", ckpt, "--format", "pytorch", "--out", Path.Combine(dir, "pt.safetensors")],
            },
            "rnn" => rng.NextInt(2) == 0
                ? ["export", "--checkpoint", ckpt, "--out", onnx]
                : ["export", "--checkpoint", ckpt, "--format", "pytorch", "--out", Path.Combine(dir, "pt.safetensors")],
            _ => rng.NextInt(2) == 0
                ? ["graph", "predict", "--run", run, "--out", Path.Combine(dir, "p.csv"), "--threads", "1"]
                : ["export", "--checkpoint", ckpt, "--out", onnx],
        };
        return new FuzzCase(Name, index, args, $"{kind} {Path.GetFileName(file)}: {mutation}{(changed ? "" : " (no change)")}",
            [file, "model.json", "model.safetensors"], MustReject: changed, InputBytes: before.Length);
    }

    /// <summary>True when the edit provably changed nothing: the same bytes, or JSON that parses to the same document (no duplicate keys).</summary>
    private static bool SameDocument(byte[] before, byte[] after, bool json)
    {
        if (before.AsSpan().SequenceEqual(after)) return true;
        if (!json) return false;
        try
        {
            var opts = new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false };
            var a = JsonNode.Parse(before, documentOptions: opts);
            var b = JsonNode.Parse(new System.Text.UTF8Encoding(false, true).GetString(after), documentOptions: opts);
            return JsonNode.DeepEquals(a, b);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException) { return false; }
    }
}
