using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

public static partial class GraphOps
{
    /// <summary>
    /// Graph attention over Ã = A + I (every node attends to its in-neighbours and itself).
    /// <paramref name="wh"/> [N, H·F] holds the transformed features W·h, head-major per row;
    /// for head k, e_ij = LeakyReLU(a_dstᵀ·Wh_i + a_srcᵀ·Wh_j) (= aᵀ[Wh_i ‖ Wh_j] with
    /// a = [a_dst; a_src]), α_ij = softmax over j of e_ij, out_i = Σ_j α_ij·Wh_j. Heads are
    /// concatenated ([N, H·F]) or averaged ([N, F]). In training, α is dropped out with
    /// probability <paramref name="attentionDropout"/> (after the softmax, as in the paper).
    /// Gradients reach <paramref name="wh"/>, <paramref name="attSrc"/> and <paramref name="attDst"/> [H, F].
    /// </summary>
    public static Tensor GatAttention(SparseGraph graph, Tensor wh, Tensor attSrc, Tensor attDst, bool concat,
        float negativeSlope = 0.2f, float attentionDropout = 0f, bool training = false, Rng? rng = null)
    {
        if (attSrc.Rank != 2 || !attSrc.SameShape(attDst)) throw new ArgumentException($"gat: attention vectors {attSrc.ShapeString} and {attDst.ShapeString} must both be [heads, features]");
        int n = graph.NumNodes, heads = attSrc.Shape[0], f = attSrc.Shape[1], hf = heads * f;
        if (wh.Rank != 2 || wh.Shape[0] != n || wh.Shape[1] != hf) throw new ArgumentException($"gat: features {wh.ShapeString}, expected [{n}, {hf}]");
        if (attentionDropout < 0 || attentionDropout >= 1) throw new ArgumentOutOfRangeException(nameof(attentionDropout), "dropout probability must be in [0, 1)");
        var adj = graph.WithSelfLoops();
        int nnz = adj.Nnz;
        var rowPtr = adj.RowPtr;
        var col = adj.ColIndex;
        var x = wh.Data;

        var (src, dst) = AttentionHalves(x, attSrc, attDst, n);

        // Dropout mask drawn serially (the stream does not depend on threads): keep[e·H + k] ∈ {0, 1/(1−p)}.
        float[]? keep = null;
        if (training && attentionDropout > 0)
        {
            ArgumentNullException.ThrowIfNull(rng, nameof(rng));
            keep = new float[nnz * heads];
            float scale = 1f / (1f - attentionDropout);
            for (int e = 0; e < keep.Length; e++) keep[e] = rng.NextFloat() < attentionDropout ? 0f : scale;
        }

        var alpha = new float[nnz * heads];
        int outF = concat ? hf : f;
        var y = Tensor.Zeros(n, outF);
        var yd = y.Data;
        float meanScale = concat ? 1f : 1f / heads;
        ParallelRange.For(n, (long)nnz * hf, (r0, r1) =>
        {
            for (int i = r0; i < r1; i++)
            {
                int e0 = rowPtr[i], e1 = rowPtr[i + 1];
                for (int k = 0; k < heads; k++)
                {
                    AttentionRow(e0, e1, k, heads, dst[i * heads + k], col, src, negativeSlope, alpha);
                    var yi = yd.AsSpan(i * outF + (concat ? k * f : 0), f);
                    for (int e = e0; e < e1; e++)
                    {
                        float a = alpha[e * heads + k];
                        float w = (keep is null ? a : a * keep[e * heads + k]) * meanScale;
                        if (w != 0f) Blas1.Axpy(w, x.AsSpan(col[e] * hf + k * f, f), yi);
                    }
                }
            }
        });

        return Tape.Record(y, g => GatBackward(graph, g.Data, wh, attSrc, attDst, concat, negativeSlope, src, dst, alpha, keep), wh, attSrc, attDst);
    }

    /// <summary>
    /// The attention coefficients <see cref="GatAttention"/> applies in evaluation (no dropout), without a
    /// tape: α[e·H + k] for entry e of Ã = <see cref="SparseGraph.WithSelfLoops"/> (row i the receiving
    /// node, column j the neighbour) and head k. For every node and head they sum to 1 over its row.
    /// Computed by the same code as the forward pass, so they are the forward's coefficients bit for bit.
    /// </summary>
    public static float[] GatCoefficients(SparseGraph graph, Tensor wh, Tensor attSrc, Tensor attDst, float negativeSlope = 0.2f)
    {
        if (attSrc.Rank != 2 || !attSrc.SameShape(attDst)) throw new ArgumentException($"gat: attention vectors {attSrc.ShapeString} and {attDst.ShapeString} must both be [heads, features]");
        int n = graph.NumNodes, heads = attSrc.Shape[0], hf = heads * attSrc.Shape[1];
        if (wh.Rank != 2 || wh.Shape[0] != n || wh.Shape[1] != hf) throw new ArgumentException($"gat: features {wh.ShapeString}, expected [{n}, {hf}]");
        var adj = graph.WithSelfLoops();
        var (src, dst) = AttentionHalves(wh.Data, attSrc, attDst, n);
        var alpha = new float[adj.Nnz * heads];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < heads; k++)
                AttentionRow(adj.RowPtr[i], adj.RowPtr[i + 1], k, heads, dst[i * heads + k], adj.ColIndex, src, negativeSlope, alpha);
        return alpha;
    }

    /// <summary>Per-node attention halves: src[j, k] = a_src[k]·Wh_j, dst[i, k] = a_dst[k]·Wh_i.</summary>
    private static (float[] Src, float[] Dst) AttentionHalves(float[] x, Tensor attSrc, Tensor attDst, int n)
    {
        int heads = attSrc.Shape[0], f = attSrc.Shape[1], hf = heads * f;
        var src = new float[n * heads];
        var dst = new float[n * heads];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < heads; k++)
            {
                var row = x.AsSpan(i * hf + k * f, f);
                src[i * heads + k] = Blas1.Dot(row, attSrc.Data.AsSpan(k * f, f));
                dst[i * heads + k] = Blas1.Dot(row, attDst.Data.AsSpan(k * f, f));
            }
        return (src, dst);
    }

    /// <summary>α over Ã's entries e0..e1 (one receiving node, head k): softmax of LeakyReLU(dst_i + src_j), written to alpha[e·H + k].</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void AttentionRow(int e0, int e1, int k, int heads, float di, int[] col, float[] src, float negativeSlope, float[] alpha)
    {
        float max = float.NegativeInfinity;
        for (int e = e0; e < e1; e++)
        {
            float z = di + src[col[e] * heads + k];
            float l = z > 0 ? z : negativeSlope * z;
            alpha[e * heads + k] = l;
            if (l > max) max = l;
        }
        float sum = 0;
        for (int e = e0; e < e1; e++)
        {
            float v = MathF.Exp(alpha[e * heads + k] - max);
            alpha[e * heads + k] = v;
            sum += v;
        }
        float inv = 1f / sum;
        for (int e = e0; e < e1; e++) alpha[e * heads + k] *= inv;
    }

    /// <summary>The backward of <see cref="GatAttention"/>; see the forward for the notation.</summary>
    private static void GatBackward(SparseGraph graph, float[] gy, Tensor wh, Tensor attSrc, Tensor attDst, bool concat,
        float slope, float[] src, float[] dst, float[] alpha, float[]? keep)
    {
        var adj = graph.WithSelfLoops();
        var tr = graph.SelfLoopTranspose();
        int n = graph.NumNodes, heads = attSrc.Shape[0], f = attSrc.Shape[1], hf = heads * f, nnz = adj.Nnz;
        int outF = concat ? hf : f;
        float meanScale = concat ? 1f : 1f / heads;
        var rowPtr = adj.RowPtr;
        var col = adj.ColIndex;
        var x = wh.Data;
        var dE = new float[nnz * heads];     // ∂L/∂z per edge and head (z = pre-LeakyReLU score)
        var dDst = new float[n * heads];
        var dSrc = new float[n * heads];

        // Pass 1, by target row i: dα through the dropout mask, softmax and LeakyReLU backward.
        ParallelRange.For(n, (long)nnz * hf, (r0, r1) =>
        {
            for (int i = r0; i < r1; i++)
            {
                int e0 = rowPtr[i], e1 = rowPtr[i + 1];
                for (int k = 0; k < heads; k++)
                {
                    var gi = gy.AsSpan(i * outF + (concat ? k * f : 0), f);
                    float weighted = 0;
                    for (int e = e0; e < e1; e++)
                    {
                        int q = e * heads + k;
                        float da = Blas1.Dot(gi, x.AsSpan(col[e] * hf + k * f, f)) * meanScale;
                        if (keep is not null) da *= keep[q];
                        dE[q] = da;
                        weighted += alpha[q] * da;
                    }
                    float di = dst[i * heads + k], sumDz = 0;
                    for (int e = e0; e < e1; e++)
                    {
                        int q = e * heads + k;
                        float dz = alpha[q] * (dE[q] - weighted);
                        float z = di + src[col[e] * heads + k];
                        dz = z > 0 ? dz : slope * dz;
                        dE[q] = dz;
                        sumDz += dz;
                    }
                    dDst[i * heads + k] = sumDz;
                }
            }
        });

        // Pass 2, by source column j: messages back to Wh_j, score gradients into a_src·Wh_j,
        // and both attention halves' contributions to Wh_j.
        bool whTracked = wh.Tracked;
        float[]? dwh = null;
        if (whTracked)
        {
            wh.GradBuffer();
            dwh = wh.Grad!.Data;        // accumulate in place: each row j is written by one thread
        }
        ParallelRange.For(n, (long)nnz * hf, (c0, c1) =>
        {
            for (int j = c0; j < c1; j++)
            {
                for (int t = tr.ColPtr[j]; t < tr.ColPtr[j + 1]; t++)
                {
                    int i = tr.Rows[t], e = tr.Entry[t];
                    for (int k = 0; k < heads; k++)
                    {
                        int q = e * heads + k;
                        dSrc[j * heads + k] += dE[q];
                        if (dwh is null) continue;
                        float w = (keep is null ? alpha[q] : alpha[q] * keep[q]) * meanScale;
                        if (w == 0f) continue;
                        var d = dwh.AsSpan(j * hf + k * f, f);
                        Blas1.Axpy(w, gy.AsSpan(i * outF + (concat ? k * f : 0), f), d);
                    }
                }
                if (dwh is null) continue;
                for (int k = 0; k < heads; k++)
                {
                    var d = dwh.AsSpan(j * hf + k * f, f);
                    Blas1.Axpy(dDst[j * heads + k], attDst.Data.AsSpan(k * f, f), d);
                    Blas1.Axpy(dSrc[j * heads + k], attSrc.Data.AsSpan(k * f, f), d);
                }
            }
        });

        // Pass 3 (serial, fixed order): the attention vectors.
        if (attSrc.Tracked) AttentionVectorGrad(x, dSrc, n, heads, f, attSrc.GradBuffer());
        if (attDst.Tracked) AttentionVectorGrad(x, dDst, n, heads, f, attDst.GradBuffer());
    }

    /// <summary>da[k] += Σ_j dScore[j, k]·Wh_j[k] (serial, fixed order).</summary>
    private static void AttentionVectorGrad(float[] x, float[] dScore, int n, int heads, int f, Span<float> da)
    {
        int hf = heads * f;
        for (int j = 0; j < n; j++)
            for (int k = 0; k < heads; k++)
            {
                var d = da.Slice(k * f, f);
                Blas1.Axpy(dScore[j * heads + k], x.AsSpan(j * hf + k * f, f), d);
            }
    }
}
