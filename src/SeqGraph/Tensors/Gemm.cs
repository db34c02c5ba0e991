namespace SeqGraph.Tensors;

/// <summary>
/// Single-precision general matrix multiply on row-major storage:
/// C = α·op(A)·op(B) + β·C, where op(A) is m×k and op(B) is k×n. With <c>transA</c>, A is stored
/// k×m (leading dimension lda ≥ m); with <c>transB</c>, B is stored n×k (ldb ≥ k).
/// </summary>
public static class Gemm
{
    /// <summary>C = α·op(A)·op(B) + β·C. See the class summary for the layout.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        // Placeholder: correct, slow. Replaced by the packed, blocked kernel.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0 ? alpha * s : alpha * s + beta * cij;
            }
    }
}
