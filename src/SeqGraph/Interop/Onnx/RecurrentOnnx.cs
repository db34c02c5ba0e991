using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// One layer of a SeqGraph <see cref="Recurrent"/> stack (RNN, LSTM or GRU, one or both
/// directions) as one standard ONNX <c>RNN</c>/<c>LSTM</c>/<c>GRU</c> node, with the weights
/// re-packed into ONNX's gate order. SeqGraph packs LSTM gates i|f|g|o (ONNX: i|o|f|c) and GRU gates
/// r|z|n (ONNX: z|r|h); each SeqGraph gate has one bias, written to ONNX's input bias Wb with zeros
/// in the recurrent bias Rb. SeqGraph's GRU keeps (1−z) on h(t−1) where ONNX keeps z, so the
/// z rows of W, R and the bias are negated (σ(−a) = 1 − σ(a)); with linear_before_reset = 0 ONNX
/// applies the reset to h(t−1) before the recurrent product and adds the candidate bias outside
/// it, which is SeqGraph's (Cho et al.) form.
/// </summary>
internal static class RecurrentOnnx
{
    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;

    /// <summary>The ONNX operator of a cell; the peephole LSTM has none (it is exported as a Scan).</summary>
    public static string OpOf(CellType cell) => cell switch
    {
        CellType.Rnn => "RNN",
        CellType.Lstm => "LSTM",
        CellType.Gru => "GRU",
        _ => throw new ArgumentOutOfRangeException(nameof(cell), $"{cell} has no ONNX recurrent operator"),
    };

    /// <summary>
    /// Adds the node for layer <paramref name="layer"/> reading time-first <paramref name="x"/>
    /// [T, B, in] and the optional initial states [dirs, B, H]; returns Y [T, dirs, B, H],
    /// Y_h [dirs, B, H] and (LSTM) Y_c.
    /// </summary>
    public static (string Y, string Yh, string? Yc) Layer(OnnxGraphBuilder g, Recurrent rnn, int layer, string x, string? initialH, string? initialC, string prefix)
    {
        var cell = rnn.Cell;
        int dirs = rnn.Directions, h = rnn.HiddenSize, gates = Recurrent.GateCount(cell);
        int inF = rnn.Weights(layer, 0)[0].Shape[1];
        var w = new float[dirs * gates * h * inF];
        var r = new float[dirs * gates * h * h];
        var b = new float[dirs * 2 * gates * h];
        for (int d = 0; d < dirs; d++)
        {
            var ours = rnn.Weights(layer, d);
            Pack(cell, ours[0].Data, inF, h, w.AsSpan(d * gates * h * inF, gates * h * inF));
            Pack(cell, ours[1].Data, h, h, r.AsSpan(d * gates * h * h, gates * h * h));
            Pack(cell, ours[2].Data, 1, h, b.AsSpan(d * 2 * gates * h, gates * h));
        }
        string wName = g.Floats($"{prefix}_W", w, dirs, gates * h, inF);
        string rName = g.Floats($"{prefix}_R", r, dirs, gates * h, h);
        string bName = g.Floats($"{prefix}_B", b, dirs, 2 * gates * h);
        var inputs = new List<string> { x, wName, rName, bName, "", initialH ?? "" };
        if (cell == CellType.Lstm) inputs.Add(initialC ?? "");
        while (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        var attrs = new List<(string, object)> { ("hidden_size", (long)h), ("direction", dirs == 2 ? "bidirectional" : "forward") };
        if (cell == CellType.Gru) attrs.Add(("linear_before_reset", 0L));
        if (cell == CellType.Rnn) attrs.Add(("activations", Enumerable.Repeat("Tanh", dirs).ToArray()));
        var outs = g.Node(OpOf(cell), inputs.ToArray(), cell == CellType.Lstm ? 3 : 2, attrs.ToArray());
        return (outs[0], outs[1], cell == CellType.Lstm ? outs[2] : null);
    }

    /// <summary>Y [T, dirs, B, H] as [T, B, dirs·H] (forward features, then backward), what SeqGraph feeds the next layer.</summary>
    public static string Features(OnnxGraphBuilder g, string y, int dirs)
    {
        if (dirs == 1) return g.Node("Squeeze", new[] { y, g.Constant(1) });
        var t = g.Node("Transpose", new[] { y }, (string?)null, ("perm", new long[] { 0, 2, 1, 3 }));
        return g.Node("Reshape", new[] { t, g.Constant(0, 0, -1) });
    }

    /// <summary>Y_h [dirs, B, H] as [B, dirs·H]: h_fwd(T) ‖ h_bwd(1), what SeqGraph's sequence-to-one head reads.</summary>
    public static string LastFeatures(OnnxGraphBuilder g, string yh, int dirs)
    {
        if (dirs == 1) return g.Node("Squeeze", new[] { yh, g.Constant(0) });
        var t = g.Node("Transpose", new[] { yh }, (string?)null, ("perm", new long[] { 1, 0, 2 }));
        return g.Node("Reshape", new[] { t, g.Constant(0, -1) });
    }

    /// <summary>
    /// Copies SeqGraph's gate blocks of <paramref name="src"/> ([gates·H, cols] row-major) into ONNX's
    /// gate order in <paramref name="dst"/>, negating GRU's z block.
    /// </summary>
    private static void Pack(CellType cell, float[] src, int cols, int h, Span<float> dst)
    {
        int[] order = cell switch
        {
            CellType.Lstm => new[] { 0, 3, 1, 2 },   // ONNX i, o, f, c from ours i, f, g, o
            CellType.Gru => new[] { 1, 0, 2 },       // ONNX z, r, h from ours r, z, n
            _ => new[] { 0 },
        };
        int block = h * cols;
        for (int k = 0; k < order.Length; k++)
        {
            var from = src.AsSpan(order[k] * block, block);
            var to = dst.Slice(k * block, block);
            if (cell == CellType.Gru && k == 0)
                for (int i = 0; i < block; i++) to[i] = -from[i];
            else from.CopyTo(to);
        }
    }

    /// <summary>A float graph value's type for <see cref="OnnxGraphBuilder.Output"/>.</summary>
    public static TensorProto.Types.DataType FloatType => Float;
}
