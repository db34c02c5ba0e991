using System.Globalization;
using SeqGraph.Data;
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
            string hl = g.Node("Slice", new[] { h0, g.Constant(l), g.Constant(l + 1), g.Constant(0) }, $"h0_l{l}");
            string cl = g.Node("Slice", new[] { c0, g.Constant(l), g.Constant(l + 1), g.Constant(0) }, $"c0_l{l}");
            var (y, yh, yc) = RecurrentOnnx.Layer(g, net.Lstm, l, x, hl, cl, $"lstm_l{l}");
            x = RecurrentOnnx.Features(g, y, 1); // [T, 1, B, H] → [T, B, H]
            (finalH[l], finalC[l]) = (yh, yc!);
        }
        string batchFirst = g.Node("Transpose", new[] { x }, (string?)null, ("perm", new long[] { 1, 0, 2 }));
        var headT = RecurrentOnnx.Transposed(net.Head.Weight.Data, v, h); // head.weight [V, H] as [H, V] for MatMul
        string logits = g.Node("Add", new[] { g.Node("MatMul", new[] { batchFirst, g.Floats("head.weight_t", headT, h, v) }), g.Floats("head.bias", net.Head.Bias!) });
        g.Output(logits, "logits", F, "batch", "steps", v);
        g.Output(layers == 1 ? finalH[0] : g.Node("Concat", finalH, (string?)null, ("axis", 0L)), "hn", F, layers, "batch", h);
        g.Output(layers == 1 ? finalC[0] : g.Node("Concat", finalC, (string?)null, ("axis", 0L)), "cn", F, layers, "batch", h);

        string text = TextCorpus.Decode(model.Vocabulary, Enumerable.Range(0, v).ToArray());
        string description = string.Create(CultureInfo.InvariantCulture, $"{PyTorch.CharLstmPyTorch.Describe(c)}, step {model.Step:N0}");
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
}
