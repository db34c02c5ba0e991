using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// The committed files of bench/pytorch/roundtrip.py under Fixtures/pytorch (see the script's header
/// for how they are made), and small helpers to read and compare them.
/// </summary>
internal static class PyTorchFixtures
{
    /// <summary>The fixtures as copied next to the tests.</summary>
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");

    /// <summary>The fixtures in the source tree (written when regenerating).</summary>
    public static string SourceDir => Path.Combine(SampleTests.RepoRoot(), "tests", "SeqGraph.Tests", "Fixtures", "pytorch");

    public static string File(string name) => Path.Combine(Dir, name);

    /// <summary>PyTorch's state_dict (non-zero bias_hh), its description and its forward pass.</summary>
    public static string TorchStateDict => File("torch_char_lstm.safetensors");
    public static string TorchJson => File("torch_char_lstm.json");
    public static string TorchIo => File("torch_io.safetensors");

    /// <summary>A SeqGraph checkpoint, SeqGraph's forward pass of it, and its export by `seqgraph export --format pytorch`.</summary>
    public static string SeqGraphCheckpoint => File("seqgraph_checkpoint");
    public static string SeqGraphIo => File("seqgraph_io.safetensors");
    public static string SeqGraphExport => File("seqgraph_export.safetensors");

    /// <summary>Every tensor of a safetensors file as float32, by name.</summary>
    public static Dictionary<string, Tensor> Read(string path) => Safetensors.ReadTensors(path);

    /// <summary>The tokens [T, B] of an io file, time-first, and T, B.</summary>
    public static (int[] Tokens, int Steps, int Batch) Tokens(string path)
    {
        using var f = Safetensors.Read(path);
        var info = f.Info("tokens");
        return (f.ToInt64("tokens").Select(t => checked((int)t)).ToArray(), (int)info.Shape[0], (int)info.Shape[1]);
    }

    /// <summary>Logits [T, B, V] and the final h, c [L, B, H] of <paramref name="model"/> on time-first tokens, as PyTorch lays them out.</summary>
    public static (float[] Logits, float[] H, float[] C) Forward(CharLstm model, int[] tokens, int steps, int batch)
    {
        model.Eval();
        var (logits, final) = model.Forward(tokens, steps, batch);
        return (logits.Data.ToArray(), final.H.SelectMany(h => h.Data).ToArray(), final.C!.SelectMany(c => c.Data).ToArray());
    }

    /// <summary>Max |a − b| (infinity if the lengths differ).</summary>
    public static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}
