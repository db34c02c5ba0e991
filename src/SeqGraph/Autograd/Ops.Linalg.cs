using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Matrix product op(a)·op(b) of 2-D tensors, transposes applied by the GEMM without copying.
    /// A 3-D <paramref name="a"/> [B, M, K] (not transposed) is treated as [B·M, K].
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank == 3 && !transA)
        {
            var flat = MatMul(Reshape(a, a.Shape[0] * a.Shape[1], a.Shape[2]), b, false, transB);
            return Reshape(flat, a.Shape[0], a.Shape[1], flat.Shape[1]);
        }
        if (a.Rank != 2 || b.Rank != 2) throw new ArgumentException($"matmul needs 2-D tensors, got {a.ShapeString} and {b.ShapeString}");
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb) throw new ArgumentException($"matmul: inner sizes differ ({a.ShapeString}{(transA ? "ᵀ" : "")} × {b.ShapeString}{(transB ? "ᵀ" : "")})");
        var y = Tensor.Empty(m, n);
        Gemm.Sgemm(transA, transB, m, n, k, 1f, a.Data, a.Shape[1], b.Data, b.Shape[1], 0f, y.Data, n);
        return Tape.Record(y, g =>
        {
            // Y = op(A)·op(B):  dop(A) = G·op(B)ᵀ,  dop(B) = op(A)ᵀ·G
            if (a.Tracked)
            {
                var da = a.GradBuffer();
                if (!transA) Gemm.Sgemm(false, !transB, m, k, n, 1f, g.Data, n, b.Data, b.Shape[1], 1f, da, k);      // dA = G·op(B)ᵀ  [m,k]
                else Gemm.Sgemm(transB, true, k, m, n, 1f, b.Data, b.Shape[1], g.Data, n, 1f, da, m);                // dA = op(B)·Gᵀ  [k,m]
            }
            if (b.Tracked)
            {
                var db = b.GradBuffer();
                if (!transB) Gemm.Sgemm(!transA, false, k, n, m, 1f, a.Data, a.Shape[1], g.Data, n, 1f, db, n);      // dB = op(A)ᵀ·G  [k,n]
                else Gemm.Sgemm(true, transA, n, k, m, 1f, g.Data, n, a.Data, a.Shape[1], 1f, db, k);                // dB = Gᵀ·op(A)  [n,k]
            }
        }, a, b);
    }

    /// <summary>y = x·Wᵀ + b for x [..., in], W [out, in], b [out] (PyTorch's Linear).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2) throw new ArgumentException($"linear: weight must be [out, in], got {weight.ShapeString}");
        int inF = weight.Shape[1], outF = weight.Shape[0];
        if (x.Rank < 1 || x.Dim(-1) != inF) throw new ArgumentException($"linear: input has {(x.Rank < 1 ? 0 : x.Dim(-1))} features, weight expects {inF}");
        if (bias is not null && (bias.Rank != 1 || bias.Size != outF)) throw new ArgumentException($"linear: bias {bias.ShapeString} does not match {outF} outputs");
        // One op: the bias is written into the output first and the GEMM adds x·Wᵀ to it.
        int rows = x.Size / inF;
        var shape = x.Shape.ToArray();
        shape[^1] = outF;
        var y = Tensor.Empty(shape);
        if (bias is not null)
            for (int r = 0; r < rows; r++) bias.Data.CopyTo(y.Data, r * outF);
        Gemm.Sgemm(false, true, rows, outF, inF, 1f, x.Data, inF, weight.Data, inF, bias is null ? 0f : 1f, y.Data, outF);
        var inputs = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return Tape.Record(y, g =>
        {
            if (x.Tracked) Gemm.Sgemm(false, false, rows, inF, outF, 1f, g.Data, outF, weight.Data, inF, 1f, x.GradBuffer(), inF);        // ∂x = G·W
            if (weight.Tracked) Gemm.Sgemm(true, false, outF, inF, rows, 1f, g.Data, outF, x.Data, inF, 1f, weight.GradBuffer(), inF);   // ∂W = Gᵀ·x
            if (bias is { Tracked: true })
            {
                var db = bias.GradBuffer();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, g.Data.AsSpan(r * outF, outF), db);                             // ∂b = Σ rows of G
            }
        }, inputs);
    }

    /// <summary>A·H for a constant sparse A [N, M] and dense H [M, F]; the gradient reaches H as Aᵀ·G.</summary>
    public static Tensor SpMM(CsrMatrix a, Tensor h, CsrMatrix? aTransposed = null)
    {
        if (h.Rank != 2 || h.Shape[0] != a.Cols) throw new ArgumentException($"spmm: sparse {a.Rows}×{a.Cols} times dense {h.ShapeString}");
        int f = h.Shape[1];
        var y = Tensor.Zeros(a.Rows, f);
        a.Multiply(h.Data, f, y.Data);
        return Tape.Record(y, g =>
        {
            var at = aTransposed ?? a.Transpose();
            h.GradBuffer();
            at.Multiply(g.Data, f, h.Grad!.Data, accumulate: true);
        }, h);
    }
}
