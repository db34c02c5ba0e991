using System.Globalization;
using SeqGraph.Data;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Training;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// The char-LSTM of <c>text train</c> as ONNX: inputs <c>tokens</c> int64 [batch, steps]
/// (batch-first symbol indices), <c>h0</c> and <c>c0</c> float [layers, batch, hidden]; outputs
/// <c>logits</c> float [batch, steps, vocabulary], <c>hn</c> and <c>cn</c> float
/// [layers, batch, hidden]. Gather (embedding) → Transpose to time-first → one ONNX <c>LSTM</c>
/// per layer (its initial state sliced from h0/c0) → MatMul + Add on every step. Dropout is a
/// no-op at inference and is left out. The vocabulary is in the metadata: <c>vocabulary</c> (the
/// characters, in symbol order) and <c>vocabulary_scalars</c> (their Unicode scalar values).
/// </summary>
public static class CharLstmOnnx
{
    /// <summary>Translates <paramref name="model"/>.</summary>
    public static OnnxExport Build(TextModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var net = model.Model;
        var c = net.Config;
        int layers = c.Layers, hidden = c.Hidden, vocab = c.Vocabulary;
        if (model.Vocabulary.Length != vocab)
            throw new InvalidDataException($"the checkpoint's vocabulary has {model.Vocabulary.Length} symbols, its model {vocab}");
        const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float, I64 = TensorProto.Types.DataType.Int64;
        var g = new OnnxGraphBuilder("char_lstm");
        string tokens = g.Input("tokens", I64, "batch", "steps");
        string h0 = g.Input("h0", F, layers, "batch", hidden);
        string c0 = g.Input("c0", F, layers, "batch", hidden);

        string emb = g.Floats("embedding.weight", net.Embedding.Weight);
        string timeFirst = g.Node("Transpose", new[] { tokens }, (string?)null, ("perm", new long[] { 1, 0 }));
        string x = g.Node("Gather", new[] { emb, timeFirst }, (string?)null, ("axis", 0L));   // [T, B, E]
        var hs = new string[layers];
        var cs = new string[layers];
        for (int l = 0; l < layers; l++)
        {
            string hl = Slice(g, h0, l), cl = Slice(g, c0, l);
            var (y, yh, yc) = RecurrentOnnx.Layer(g, net.Lstm, l, x, hl, cl, $"lstm_l{l}");
            hs[l] = yh;
            cs[l] = yc!;
            x = RecurrentOnnx.Features(g, y, 1);   // [T, B, H]
        }
        string batchFirst = g.Node("Transpose", new[] { x }, (string?)null, ("perm", new long[] { 1, 0, 2 }));
        string wT = g.Floats("head.weight_t", Transposed(net.Head.Weight.Data, vocab, hidden), hidden, vocab);
        string mm = g.Node("MatMul", new[] { batchFirst, wT });
        string logits = g.Node("Add", new[] { mm, g.Floats("head.bias", net.Head.Bias!) });
        g.Output(logits, "logits", F, "batch", "steps", vocab);
        g.Output(layers == 1 ? hs[0] : g.Node("Concat", hs, (string?)null, ("axis", 0L)), "hn", F, layers, "batch", hidden);
        g.Output(layers == 1 ? cs[0] : g.Node("Concat", cs, (string?)null, ("axis", 0L)), "cn", F, layers, "batch", hidden);

        string description = string.Create(CultureInfo.InvariantCulture,
            $"{layers}-layer LSTM, hidden {hidden}, embedding {c.Embed}, vocabulary {vocab}");
        var metadata = new Dictionary<string, string>
        {
            ["vocabulary"] = TextCorpus.Decode(model.Vocabulary, Enumerable.Range(0, vocab).ToArray()),
            ["vocabulary_scalars"] = string.Join(",", model.Vocabulary.Select(v => v.ToString(CultureInfo.InvariantCulture))),
            ["training_steps"] = model.Step.ToString(CultureInfo.InvariantCulture),
        };
        var notes = new[]
        {
            "tokens are symbol indices: the metadata 'vocabulary' lists the characters in index order ('vocabulary_scalars': their Unicode scalar values)",
            "carry hn/cn back as h0/c0 to continue a sequence; start from zeros",
            "logits are unnormalised; softmax over the last axis gives the next character's distribution",
        };
        return new OnnxExport(g.ToModel($"SeqGraph char-LSTM: {description}", metadata), description, net.ParameterCount, notes);
    }

    /// <summary>Layer <paramref name="layer"/> of a [layers, B, H] state, kept as [1, B, H] (ONNX LSTM's initial state).</summary>
    private static string Slice(OnnxGraphBuilder g, string state, int layer) =>
        g.Node("Slice", new[] { state, g.Constant(layer), g.Constant(layer + 1), g.Constant(0) });

    /// <summary>A [rows, cols] row-major matrix transposed to [cols, rows].</summary>
    internal static float[] Transposed(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
        return t;
    }
}
