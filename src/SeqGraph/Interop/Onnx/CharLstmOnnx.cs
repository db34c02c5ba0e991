using System.Globalization;
using System.Text;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Training;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// The char-LSTM of <c>text train</c> as ONNX: <c>tokens</c> int64 [batch, steps] (symbol indices of
/// the checkpoint's vocabulary, batch-first), <c>h0</c> and <c>c0</c> float [layers, batch, hidden] →
/// <c>logits</c> float [batch, steps, vocabulary] (before softmax), <c>hn</c> and <c>cn</c> float
/// [layers, batch, hidden], the state after the last step. Feeding <c>hn</c>/<c>cn</c> back as the next
/// call's <c>h0</c>/<c>c0</c> continues the text, so a caller can sample one character per call.
/// Operators: Gather (embedding), Transpose, one <c>LSTM</c> per layer (gates reordered from our
/// i|f|g|o to ONNX's i|o|f|c; our single bias per gate is ONNX's Wb, its Rb is zero), Squeeze,
/// Concat, MatMul + Add (head). Dropout is an identity at inference. The vocabulary is in the
/// model's metadata (<c>vocabulary</c>: the characters as a JSON string; <c>vocabulary_codepoints</c>).
/// </summary>
public static class CharLstmOnnx
{
    // ours i|f|g|o → ONNX i|o|f|c: ONNX block k is our block Order[k]
    private static readonly int[] Order = { 0, 3, 1, 2 };

    /// <summary>Translates <paramref name="model"/>.</summary>
    public static OnnxExport Build(TextModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var net = model.Model;
        var c = net.Config;
        int h = c.Hidden, v = c.Vocabulary, layers = c.Layers;
        const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float;
        var g = new OnnxGraphBuilder("char_lstm");
        string tokens = g.Input("tokens", TensorProto.Types.DataType.Int64, "batch", "steps");
        string h0 = g.Input("h0", F, layers, "batch", h);
        string c0 = g.Input("c0", F, layers, "batch", h);

        string timeFirst = g.Node("Transpose", new[] { tokens }, (string?)null, ("perm", new long[] { 1, 0 }));
        string x = g.Node("Gather", new[] { g.Floats("embedding.weight", net.Embedding.Weight), timeFirst }, "embedded");
        var finalH = new string[layers];
        var finalC = new string[layers];
        for (int l = 0; l < layers; l++)
        {
            var w = net.Lstm.Weights(l);
            int input = l == 0 ? c.Embed : h;
            var (wOnnx, rOnnx, bOnnx) = LstmWeights(w[0].Data, w[1].Data, w[2].Data, input, h);
            string hl = g.Node("Slice", new[] { h0, g.Constant(l), g.Constant(l + 1), g.Constant(0) }, $"h0_l{l}");
            string cl = g.Node("Slice", new[] { c0, g.Constant(l), g.Constant(l + 1), g.Constant(0) }, $"c0_l{l}");
            var outs = g.Node("LSTM",
                new[] { x, g.Floats($"lstm.W_l{l}", wOnnx, 1, 4 * h, input), g.Floats($"lstm.R_l{l}", rOnnx, 1, 4 * h, h), g.Floats($"lstm.B_l{l}", bOnnx, 1, 8 * h), "", hl, cl },
                new[] { $"lstm_y_l{l}", $"lstm_h_l{l}", $"lstm_c_l{l}" }, ("hidden_size", (long)h));
            x = g.Node("Squeeze", new[] { outs[0], g.Constant(1) }, $"lstm_out_l{l}"); // [T, 1, B, H] → [T, B, H]
            (finalH[l], finalC[l]) = (outs[1], outs[2]);
        }
        string batchFirst = g.Node("Transpose", new[] { x }, (string?)null, ("perm", new long[] { 1, 0, 2 }));
        var headT = new float[h * v]; // head.weight [V, H] as [H, V] for MatMul
        var hw = net.Head.Weight.Data;
        for (int r = 0; r < v; r++)
            for (int k = 0; k < h; k++) headT[k * v + r] = hw[r * h + k];
        string logits = g.Node("Add", new[] { g.Node("MatMul", new[] { batchFirst, g.Floats("head.weight_t", headT, h, v) }), g.Floats("head.bias", net.Head.Bias!) });
        g.Output(logits, "logits", F, "batch", "steps", v);
        g.Output(layers == 1 ? finalH[0] : g.Node("Concat", finalH, (string?)null, ("axis", 0L)), "hn", F, layers, "batch", h);
        g.Output(layers == 1 ? finalC[0] : g.Node("Concat", finalC, (string?)null, ("axis", 0L)), "cn", F, layers, "batch", h);

        string text = Vocabulary(model.Vocabulary);
        string description = string.Create(CultureInfo.InvariantCulture, $"char-LSTM: embedding {c.Embed}, {layers}-layer LSTM, hidden {h}, vocabulary {v} (step {model.Step:N0})");
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = TextCheckpoint.Kind,
            ["vocabulary"] = System.Text.Json.JsonSerializer.Serialize(text),
            ["vocabulary_codepoints"] = string.Join(",", model.Vocabulary.Select(cp => cp.ToString(CultureInfo.InvariantCulture))),
            ["step"] = model.Step.ToString(CultureInfo.InvariantCulture),
        };
        var notes = new[]
        {
            "tokens are indices into the vocabulary (metadata 'vocabulary', a JSON string: token k is its k-th character), batch-first",
            "start from zero h0/c0; feed hn/cn back as h0/c0 to continue the text one call (or one character) at a time",
            "logits are scores before softmax: arg-max for greedy decoding, softmax(logits / temperature) to sample",
        };
        return new OnnxExport(g.ToModel(description + " exported by SeqGraph", metadata), description, net.Parameters().Sum(p => (long)p.Size), notes);
    }

    /// <summary>
    /// One LSTM layer's weights in ONNX's layout: W [4H, input] and R [4H, H] with the gate blocks
    /// reordered i|f|g|o → i|o|f|c, and B = [Wb; Rb] with our one bias as Wb and zeros as Rb.
    /// </summary>
    internal static (float[] W, float[] R, float[] B) LstmWeights(ReadOnlySpan<float> wIh, ReadOnlySpan<float> wHh, ReadOnlySpan<float> bias, int input, int hidden)
    {
        var w = new float[4 * hidden * input];
        var r = new float[4 * hidden * hidden];
        var b = new float[8 * hidden];
        for (int k = 0; k < 4; k++)
        {
            int src = Order[k];
            wIh.Slice(src * hidden * input, hidden * input).CopyTo(w.AsSpan(k * hidden * input));
            wHh.Slice(src * hidden * hidden, hidden * hidden).CopyTo(r.AsSpan(k * hidden * hidden));
            bias.Slice(src * hidden, hidden).CopyTo(b.AsSpan(k * hidden));
        }
        return (w, r, b);
    }

    private static string Vocabulary(int[] codepoints)
    {
        var sb = new StringBuilder();
        foreach (int cp in codepoints) sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }
}
