using System.Buffers;
using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

/// <summary>
/// Fused, differentiable graph operations with hand-written backward passes, recorded on the
/// tape with <see cref="Tape.Record"/>. Loops run over CSR rows in parallel; every output row is
/// written by one thread only, so results do not depend on the thread count.
/// </summary>
public static partial class GraphOps
{
    /// <summary>
    /// Y = X·W for a constant sparse X [N, K] (e.g. bag-of-words features) and dense W [K, M].
    /// Costs O(nnz(X)·M) instead of O(N·K·M); the gradient reaches W only: dW = Xᵀ·G.
    /// </summary>
    public static Tensor SparseMatMul(CsrMatrix x, Tensor w)
    {
        if (w.Rank != 2 || w.Shape[0] != x.Cols) throw new ArgumentException($"sparse matmul: {x.Rows}×{x.Cols} times {w.ShapeString}");
        int m = w.Shape[1];
        var y = Tensor.Zeros(x.Rows, m);
        x.Multiply(w.Data, m, y.Data);
        return Tape.Record(y, g => x.TransposeMultiplyAdd(g.Data, m, w.GradBuffer()), w);
    }

    /// <summary>
    /// Inverted dropout on the stored entries of a constant sparse matrix (zeros stay zero, so this
    /// equals dense dropout on the same matrix). Returns <paramref name="x"/> itself when not training.
    /// Keep/drop decisions use 16 random bits each (p is rounded to a multiple of 2⁻¹⁶).
    /// </summary>
    public static CsrMatrix Dropout(CsrMatrix x, float p, bool training, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), "dropout probability must be in [0, 1)");
        if (!training || p == 0) return x;
        var v = new float[x.Nnz];
        GraphKernels.DropoutMask(rng, p, v);
        TensorPrimitives.Multiply(v, x.Values, v);
        return new CsrMatrix(x.Rows, x.Cols, x.RowPtr, x.ColIndex, v);
    }

    /// <summary>
    /// ReLU followed by inverted dropout as one op (one pass, one mask) — the hidden layer of a
    /// GCN. Decisions use 16 random bits each, as <see cref="Dropout(CsrMatrix, float, bool, Rng)"/>.
    /// </summary>
    public static Tensor ReluDropout(Tensor x, float p, bool training, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), "dropout probability must be in [0, 1)");
        if (!training || p == 0) return Ops.Relu(x);
        var mask = new float[x.Size];
        GraphKernels.DropoutMask(rng, p, mask);
        var y = Tensor.Zeros(x.Shape);
        GraphKernels.ReluMask(x.Data, mask, y.Data);
        return Tape.Record(y, g =>
        {
            var dx = x.GradBuffer();
            TensorPrimitives.MultiplyAdd(g.Data, mask, dx, dx);
        }, x);
    }

    /// <summary>GCN layer Â·(X·W) + b for dense X [N, in], W [in, out], b [out] (optional).</summary>
    public static Tensor GcnConv(SparseGraph graph, Tensor x, Tensor weight, Tensor? bias)
    {
        if (x.Rank != 2 || x.Shape[0] != graph.NumNodes || weight.Rank != 2 || weight.Shape[0] != x.Shape[1])
            throw new ArgumentException($"gcn: {graph.NumNodes} nodes, features {x.ShapeString}, weight {weight.ShapeString}");
        int n = x.Shape[0], k = x.Shape[1], m = weight.Shape[1];
        var xw = ArrayPool<float>.Shared.Rent(n * m);
        Gemm.Sgemm(false, false, n, m, k, 1f, x.Data, k, weight.Data, m, 0f, xw, m);
        return GcnPropagate(graph, xw, m, weight, bias, x, dxw =>
        {
            // dW = Xᵀ·dXW, dX = dXW·Wᵀ
            if (weight.Tracked) Gemm.Sgemm(true, false, k, m, n, 1f, x.Data, k, dxw, m, 1f, weight.GradBuffer(), m);
            if (x.Tracked) Gemm.Sgemm(false, true, n, k, m, 1f, dxw, m, weight.Data, m, 1f, x.GradBuffer(), k);
        });
    }

    /// <summary>GCN layer Â·(X·W) + b for constant sparse X [N, in] (no gradient to X).</summary>
    public static Tensor GcnConv(SparseGraph graph, CsrMatrix x, Tensor weight, Tensor? bias)
    {
        if (x.Rows != graph.NumNodes || weight.Rank != 2 || weight.Shape[0] != x.Cols)
            throw new ArgumentException($"gcn: {graph.NumNodes} nodes, features {x.Rows}×{x.Cols}, weight {weight.ShapeString}");
        int m = weight.Shape[1];
        var xw = ArrayPool<float>.Shared.Rent(x.Rows * m);
        x.Multiply(weight.Data, m, xw);
        return GcnPropagate(graph, xw, m, weight, bias, null, dxw =>
        {
            if (weight.Tracked) x.TransposeMultiplyAdd(dxw, m, weight.GradBuffer());
        });
    }

    /// <summary>
    /// Y = Â·XW + b, one recorded op; the backward computes dXW = Âᵀ·G and hands it on.
    /// <paramref name="xw"/> is a pooled buffer of at least N·m values and is returned here.
    /// </summary>
    private static Tensor GcnPropagate(SparseGraph graph, float[] xw, int m, Tensor weight, Tensor? bias, Tensor? x, Action<float[]> backToInputs)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != m)) throw new ArgumentException($"gcn: bias {bias.ShapeString} for {m} outputs");
        var ahat = graph.NormalizedAdjacency();
        var y = Tensor.Zeros(graph.NumNodes, m);
        ahat.Multiply(xw, m, y.Data);
        ArrayPool<float>.Shared.Return(xw);
        if (bias is not null) GraphKernels.AddRowVector(y.Data, bias.Data);
        var inputs = bias is null ? new List<Tensor> { weight } : new List<Tensor> { weight, bias };
        if (x is not null) inputs.Add(x);
        return Tape.Record(y, g =>
        {
            if (bias is not null && bias.Tracked) GraphKernels.ColumnSumsAdd(g.Data, m, bias.GradBuffer());
            var dxw = ArrayPool<float>.Shared.Rent(graph.NumNodes * m);
            graph.NormalizedAdjacencyTransposed().Multiply(g.Data, m, dxw);
            backToInputs(dxw);
            ArrayPool<float>.Shared.Return(dxw);
        }, inputs.ToArray());
    }
}
