using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// One layer and direction of SeqGraph's peephole LSTM (SPEC's: the gates read c(t−1) through a
/// full matrix <c>weight_ch</c> [3H, H], no h(t−1) term, candidate g = σ(W x + b)) as an ONNX
/// <c>Scan</c>. ONNX's LSTM peephole input P is a per-unit (diagonal) vector, so it cannot express
/// the full matrix; instead the input projection W_ih·x + b of all steps is one MatMul + Add before
/// the Scan, and the Scan's body is the cell: MatMul(c, W_chᵀ), Split, Add, Sigmoid, Tanh, Mul.
/// The reverse direction scans from the last step and writes its outputs back in time order.
/// </summary>
internal static class PeepholeScanOnnx
{
    private const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float;

    /// <summary>
    /// Adds the layer reading time-first <paramref name="x"/> [T, B, in] from zero state; returns
    /// Y [T, B, H] (h(t) of every step, in time order) and the state after the last step processed [B, H].
    /// </summary>
    public static (string Y, string Last) Layer(OnnxGraphBuilder g, Recurrent rnn, int layer, int dir, string x, string prefix)
    {
        var w = rnn.Weights(layer, dir);
        int h = rnn.HiddenSize, inF = w[0].Shape[1];
        // the input projection of every step at once: [T, B, 4H], gates i|f|o|g as SeqGraph packs them
        string wIhT = g.Floats($"{prefix}_weight_ih_t", RecurrentOnnx.Transposed(w[0].Data, 4 * h, inF), inF, 4 * h);
        string p = g.Node("Add", new[] { g.Node("MatMul", new[] { x, wIhT }), g.Floats($"{prefix}_bias", w[2]) });
        // zero initial state [B, H], B read from the input
        string batch = g.Node("Slice", new[] { g.Node("Shape", new[] { x }), g.Constant(1), g.Constant(2), g.Constant(0) });
        string zeros = g.Node("ConstantOfShape", new[] { g.Node("Concat", new[] { batch, g.Constant(h) }, (string?)null, ("axis", 0L)) });

        var body = Cell(h, RecurrentOnnx.Transposed(w[1].Data, 3 * h, h), $"{prefix}_cell");
        var attrs = new List<(string, object)> { ("body", body.Graph), ("num_scan_inputs", 1L) };
        if (dir == 1)
        {
            attrs.Add(("scan_input_directions", new long[] { 1 }));
            attrs.Add(("scan_output_directions", new long[] { 1 }));
        }
        var outs = g.Node("Scan", new[] { zeros, zeros, p }, 3, attrs.ToArray());   // c, h, then the stacked h(t)
        return (outs[2], outs[1]);
    }

    /// <summary>The body: (c(t−1), h(t−1), p(t)) → (c(t), h(t), h(t)); h(t−1) is carried only to give the final h.</summary>
    private static OnnxGraphBuilder Cell(int h, float[] wChT, string name)
    {
        var b = new OnnxGraphBuilder(name);
        string c = b.Input("c_in", F, "batch", h);
        b.Input("h_in", F, "batch", h);
        string p = b.Input("p_in", F, "batch", 4 * h);
        string pc = b.Node("MatMul", new[] { c, b.Floats("weight_ch_t", wChT, h, 3 * h) });   // W_ch c(t−1): i|f|o
        var px = b.Node("Split", new[] { p, b.Constant(h, h, h, h) }, 4, ("axis", 1L));
        var pcs = b.Node("Split", new[] { pc, b.Constant(h, h, h) }, 3, ("axis", 1L));
        string Gate(int k) => b.Node("Sigmoid", new[] { b.Node("Add", new[] { px[k], pcs[k] }) });
        string i = Gate(0), f = Gate(1), o = Gate(2);
        string gCand = b.Node("Sigmoid", new[] { px[3] });                                     // g = σ(W_gx x + b_g)
        string cNext = b.Node("Add", new[] { b.Node("Mul", new[] { gCand, i }), b.Node("Mul", new[] { c, f }) });
        string hNext = b.Node("Mul", new[] { b.Node("Tanh", new[] { cNext }), o });
        b.Output(cNext, "c_out", F, "batch", h);
        b.Output(hNext, "h_out", F, "batch", h);
        b.Output(hNext, "y_out", F, "batch", h);
        return b;
    }
}
