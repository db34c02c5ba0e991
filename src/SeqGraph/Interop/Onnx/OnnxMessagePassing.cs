using SeqGraph.Data;
using SeqGraph.Nn.Graph;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// The layers of <see cref="Gcn"/> and <see cref="Gat"/> as standard ONNX operators over one fixed
/// graph, in O(edges): the entries of Ã = A + I (one self loop per node, as
/// <see cref="SparseGraph.WithSelfLoops"/>) become two int64 initializers, <c>edge_src</c> (the
/// column j, the node that sends) and <c>edge_dst</c> (the row i, the node that receives), in
/// SeqGraph's CSR order; a message is a Gather of rows by <c>edge_src</c>, and the sum over a
/// node's incoming edges is a ScatterElements with reduction "add" into zeros by <c>edge_dst</c>. No
/// N×N matrix is ever formed. (Not ScatterND: ONNX Runtime's CPU ScatterND splits the updates over
/// its threads, and with a reduction over repeated indices the threads race — results changed from
/// run to run at more than one intra-op thread; ScatterElements applies the updates in order.)
/// </summary>
internal sealed class OnnxMessagePassing
{
    private readonly OnnxGraphBuilder _g;
    private readonly SparseGraph _graph;
    private readonly string _src, _dst;
    private string? _gcnCoefficients;

    /// <summary>Number of nodes.</summary>
    public int Nodes { get; }

    /// <summary>Number of edges of Ã (directed entries, self loops included).</summary>
    public int Edges { get; }

    /// <summary>Writes the edge lists of <paramref name="graph"/> into <paramref name="g"/>.</summary>
    public OnnxMessagePassing(OnnxGraphBuilder g, SparseGraph graph)
    {
        (_g, _graph, Nodes) = (g, graph, graph.NumNodes);
        var tilde = graph.WithSelfLoops();
        Edges = tilde.Nnz;
        var src = new long[Edges];
        var dst = new long[Edges];
        for (int i = 0; i < Nodes; i++)
            for (int e = tilde.RowPtr[i]; e < tilde.RowPtr[i + 1]; e++)
                (dst[e], src[e]) = (i, tilde.ColIndex[e]);
        _src = g.Int64s("edge_src", src, Edges);
        _dst = g.Int64s("edge_dst", dst, Edges);
    }

    /// <summary>
    /// Kipf's row normalisation of raw features x [N, F], as <see cref="CitationGraph.RowNormalize"/>:
    /// each row times 1/(its sum); a row summing to zero (all zeros, say) stays as it is.
    /// </summary>
    public string RowNormalize(string x)
    {
        var sum = Op("ReduceSum", new[] { x, _g.Constant(1) }, ("keepdims", 1));      // [N, 1]
        var zero = _g.Floats(_g.Fresh("zero"), new[] { 0f });
        var one = _g.Floats(_g.Fresh("one"), new[] { 1f });
        var isZero = Op("Equal", new[] { sum, zero });
        var divisor = Op("Where", new[] { isZero, one, sum });
        return Op("Mul", new[] { x, Op("Reciprocal", new[] { divisor }) });
    }

    /// <summary>One <see cref="GcnConv"/>: Â·(h·W) + b, with Â's entries D̃^−½ÃD̃^−½ (edge weights included) as per-edge coefficients.</summary>
    public string Gcn(string h, GcnConv conv, string name)
    {
        _gcnCoefficients ??= _g.Floats("gcn_edge_norm", _graph.NormalizedAdjacency().Values, Edges, 1);
        var xw = Op("MatMul", new[] { h, _g.Floats(name + ".weight", conv.Weight) });
        var messages = Op("Mul", new[] { Op("Gather", new[] { xw, _src }, ("axis", 0)), _gcnCoefficients });
        var y = SumIntoNodes(messages, conv.OutFeatures);
        return conv.Bias is null ? y : Op("Add", new[] { y, _g.Floats(name + ".bias", conv.Bias) });
    }

    /// <summary>
    /// One <see cref="GatConv"/>: per head k, e_ij = LeakyReLU(a_dst·Wh_i + a_src·Wh_j) over the
    /// incoming edges of i (self loop included), α = softmax over them (minus the per-node maximum),
    /// out_i = Σ_j α_ij·Wh_j; heads concatenated or averaged, then the bias. Edge weights play no
    /// part, as in SeqGraph.
    /// </summary>
    public string Gat(string h, GatConv conv, string name)
    {
        int heads = conv.Heads, f = conv.OutPerHead;
        var wh = Op("MatMul", new[] { h, _g.Floats(name + ".weight", conv.Weight) });          // [N, H·F]
        var whr = Op("Reshape", new[] { wh, _g.Constant(Nodes, heads, f) });                   // [N, H, F]
        var toSrc = Score(whr, _g.Floats(name + ".att_src", conv.AttSrc));                           // [N, H]
        var toDst = Score(whr, _g.Floats(name + ".att_dst", conv.AttDst));
        (string, object) slope = ("alpha", conv.NegativeSlope);
        var scores = Op("LeakyRelu", new[] { Op("Add", new[] { Gather(toDst, _dst), Gather(toSrc, _src) }) }, slope);   // [E, H]
        // The maximum over each node's incoming edges; every node has its self loop, whose score starts the maximum.
        var own = Op("LeakyRelu", new[] { Op("Add", new[] { toDst, toSrc }) }, slope);
        var max = ScatterIntoNodes(own, scores, "max", 2);
        var exp = Op("Exp", new[] { Op("Sub", new[] { scores, Gather(max, _dst) }) });
        var inverse = Op("Reciprocal", new[] { SumIntoNodes(exp, heads) });
        var alpha = Op("Mul", new[] { exp, Gather(inverse, _dst) });                             // [E, H]
        var messages = Op("Mul", new[] { Gather(whr, _src), Op("Unsqueeze", new[] { alpha, _g.Constant(2) }) });   // [E, H, F]
        var sum = SumIntoNodes(messages, heads, f);                                                   // [N, H, F]
        var y = conv.Concat
            ? Op("Reshape", new[] { sum, _g.Constant(Nodes, heads * f) })
            : Op("ReduceMean", new[] { sum, _g.Constant(1) }, ("keepdims", 0));
        return conv.Bias is null ? y : Op("Add", new[] { y, _g.Floats(name + ".bias", conv.Bias) });
    }

    // a·Wh per node and head: [N, H, F] times [H, F], summed over F → [N, H]
    private string Score(string whr, string att) =>
        Op("ReduceSum", new[] { Op("Mul", new[] { whr, att }), _g.Constant(2) }, ("keepdims", 0));

    private string Op(string op, string[] inputs, params (string Name, object Value)[] attributes) => _g.Node(op, inputs, (string?)null, attributes);

    private string Gather(string data, string indices) => Op("Gather", new[] { data, indices }, ("axis", 0));

    // Σ over each node's incoming edges of per-edge rows [E, …] → [N, …], from zeros
    private string SumIntoNodes(string perEdge, params long[] rowShape)
    {
        var zeros = Op("ConstantOfShape", new[] { _g.Constant(new[] { (long)Nodes }.Concat(rowShape).ToArray()) });   // float 0 by default
        return ScatterIntoNodes(zeros, perEdge, "add", 1 + rowShape.Length);
    }

    // data [N, …] with each edge's row of perEdge [E, …] (rank 2 or 3) reduced into row edge_dst[e], in
    // edge order: ScatterElements on axis 0 wants an index per element, so edge_dst is expanded to perEdge's shape
    private string ScatterIntoNodes(string data, string perEdge, string reduction, int rank)
    {
        var column = Op("Reshape", new[] { _dst, rank == 2 ? _g.Constant(Edges, 1) : _g.Constant(Edges, 1, 1) });
        var indices = Op("Expand", new[] { column, Op("Shape", new[] { perEdge }) });
        return Op("ScatterElements", new[] { data, indices, perEdge }, ("axis", 0L), ("reduction", reduction));
    }
}
