using SeqGraph.Tensors;
using SeqGraph.Autograd;

namespace SeqGraph.Tests;

public class GemmTests
{
    private static float[] Random(int count, int seed)
    {
        var rng = new System.Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Runs Sgemm on padded operands and compares every element with a double-precision triple loop.</summary>
    private static void CheckAgainstReference(bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, int seed)
    {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = Random(Math.Max(0, (aRows - 1) * lda + aCols), seed);
        var b = Random(Math.Max(0, (bRows - 1) * ldb + bCols), seed + 1);
        var c = Random(Math.Max(0, (m - 1) * ldc + n), seed + 2);
        var c0 = (float[])c.Clone();
        Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = ta ? a[p * lda + i] : a[i * lda + p];
                    double y = tb ? b[j * ldb + p] : b[p * ldb + j];
                    s += x * y;
                    mag += Math.Abs(x * y);
                }
                double expected = alpha * s + (beta == 0 ? 0 : beta * (double)c0[i * ldc + j]);
                double tol = 1e-4 * (Math.Abs(alpha) * mag + Math.Abs(beta * c0[i * ldc + j])) + 1e-6;
                double got = c[i * ldc + j];
                if (!(Math.Abs(got - expected) <= tol))
                    Assert.Fail($"{(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')} {m}×{n}×{k} α={alpha} β={beta} pad={pad}: C[{i},{j}] = {got}, expected {expected}");
            }
        // Padding between rows of C must be untouched.
        for (int i = 0; i + 1 < m; i++)
            for (int j = n; j < ldc; j++)
                Assert.Equal(c0[i * ldc + j], c[i * ldc + j]);
    }

    public static IEnumerable<object[]> Shapes()
    {
        int[][] shapes =
        {
            new[] { 1, 1, 1 }, new[] { 7, 7, 7 }, new[] { 33, 33, 33 }, new[] { 1, 257, 7 }, new[] { 33, 1, 257 },
            new[] { 257, 33, 7 }, new[] { 300, 513, 129 }, new[] { 14, 32, 300 }, new[] { 15, 33, 1 }, new[] { 257, 7, 1 },
            new[] { 64, 512, 128 }, new[] { 29, 100, 520 }, new[] { 17, 64, 40 }, new[] { 32, 40, 64 }, new[] { 16, 64, 9 },
        };
        foreach (var s in shapes)
            foreach (var layout in new[] { "NN", "NT", "TN", "TT" })
                yield return new object[] { layout, s[0], s[1], s[2] };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoublePrecisionReference(string layout, int m, int n, int k)
    {
        bool ta = layout[0] == 'T', tb = layout[1] == 'T';
        CheckAgainstReference(ta, tb, m, n, k, 1f, 0f, 0, m * 7 + n * 13 + k);
        CheckAgainstReference(ta, tb, m, n, k, 1.5f, 0.5f, 3, m + n + k);
        CheckAgainstReference(ta, tb, m, n, k, -0.75f, 1f, 17, 5);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void MatchesReferenceOnBlockedSizeWithTwoThreads(bool ta, bool tb)
    {
        using (Parallelism.Use(2))
        {
            // k = 600 crosses the k-blocking, n = 2100 the column blocking, m = 250 the row blocking.
            CheckAgainstReference(ta, tb, 250, 2100, 600, 1.5f, 0.5f, 5, 11);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void BetaZeroIgnoresNaNInC(bool ta, bool tb)
    {
        int m = 20, n = 40, k = 9;
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var c = new float[m * n];
        Array.Fill(c, float.NaN);
        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
        Assert.All(c, x => Assert.True(float.IsFinite(x)));
        Array.Fill(c, float.NaN);
        Gemm.Sgemm(ta, tb, m, n, 0, 1f, a, ta ? m : 1, b, tb ? 1 : n, 0f, c, n);
        Assert.All(c, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void ZeroKScalesC()
    {
        var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 3, 0.5f, c, 3);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f, 2.5f, 3f }, c);
    }

    [Fact]
    public void EmptyOutputIsANoOp()
    {
        var c = new[] { 7f };
        Gemm.Sgemm(false, false, 0, 5, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[15], 5, 0f, c, 5);
        Gemm.Sgemm(false, false, 1, 0, 3, 1f, new float[3], 3, ReadOnlySpan<float>.Empty, 0, 0f, c, 1);
        Assert.Equal(7f, c[0]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ResultsAreBitIdenticalForOneAndTwoThreads(bool ta, bool tb)
    {
        int m = 513, n = 1024, k = 700;
        var a = Random(m * k, 3);
        var b = Random(k * n, 4);
        var c1 = Random(m * n, 5);
        var c2 = (float[])c1.Clone();
        using (Parallelism.Use(1)) Gemm.Sgemm(ta, tb, m, n, k, 1.25f, a, ta ? m : k, b, tb ? k : n, 0.5f, c1, n);
        using (Parallelism.Use(2)) using (SplitChoice.AlwaysSplit())
        {
            Assert.True(Gemm.TaskCount(m, n, k) == 2, "the two-thread run must actually split the work");
            Gemm.Sgemm(ta, tb, m, n, k, 1.25f, a, ta ? m : k, b, tb ? k : n, 0.5f, c2, n);
        }
        for (int i = 0; i < c1.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(c1[i]) == BitConverter.SingleToInt32Bits(c2[i]), $"element {i}: {c1[i]} vs {c2[i]}");
    }

    [Fact]
    public void ShortSpansAndBadLeadingDimensionsAreRejected()
    {
        var a = new float[6 * 4];
        var b = new float[4 * 5];
        var c = new float[6 * 5];
        Gemm.Sgemm(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c, 5); // the exact sizes are accepted
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 6, 5, 4, 1f, a.AsSpan(1), 4, b, 5, 0f, c, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 6, 5, 4, 1f, a, 4, b.AsSpan(1), 5, 0f, c, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c.AsSpan(1), 5));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(true, false, 6, 5, 4, 1f, a.AsSpan(0, 23), 6, b, 5, 0f, c, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 6, 5, 4, 1f, a, 4, b.AsSpan(0, 19), 4, 0f, c, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c, 6)); // ldc too: c needs 35
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 6, 5, 4, 1f, a, 3, b, 5, 0f, c, 5)); // lda < k
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, -1, 5, 4, 1f, a, 4, b, 5, 0f, c, 5));
    }

    [Theory]
    [InlineData(45, 70, 600, 1)]     // three full 14-row strips and an edge, three k blocks
    [InlineData(512, 128, 300, 2)]   // the LSTM's ∂W_hh shape, two row blocks, split over threads
    public void TransposedAReadInPlaceGivesExactlyThePackedResult(int m, int n, int k, int threads)
    {
        // A stored transposed is read in place by the kernel (full strips), an untransposed A is
        // packed first: the same products in the same order, so the results must agree bit for bit.
        int lda = m + 5;
        var at = Random(k * lda, 21);
        var a = new float[m * k];
        for (int p = 0; p < k; p++)
            for (int i = 0; i < m; i++) a[i * k + p] = at[p * lda + i];
        var b = Random(k * n, 22);
        var want = Random(m * n, 23);
        var got = (float[])want.Clone();
        using (Parallelism.Use(threads))
        {
            using (GemmDriver.ForceInPlaceReads(false)) Gemm.Sgemm(false, false, m, n, k, 0.75f, a, k, b, n, 1f, want, n);
            using (GemmDriver.ForceInPlaceReads(true)) Gemm.Sgemm(true, false, m, n, k, 0.75f, at, lda, b, n, 1f, got, n);
        }
        Assert.Equal(want, got);
    }

    [Theory]
    [InlineData(false, 64, 512, 128)]    // one row block: full B strips read in place
    [InlineData(true, 100, 70, 300)]     // and A stored transposed, read in place too; edge strips
    [InlineData(false, 6, 2048, 256)]    // one row tile, B rows 8 KiB apart (still in place)
    public void InPlaceReadsGiveExactlyThePackedResult(bool ta, int m, int n, int k)
    {
        // whatever this machine's cache chooses, both paths run: same products, same order
        int lda = ta ? m : k;
        var a = Random(k * m, 31);
        var b = Random(k * n, 32);
        var packed = Random(m * n, 33);
        var inPlace = (float[])packed.Clone();
        using (GemmDriver.ForceInPlaceReads(false)) Gemm.Sgemm(ta, false, m, n, k, 1.5f, a, lda, b, n, 0.5f, packed, n);
        using (GemmDriver.ForceInPlaceReads(true)) Gemm.Sgemm(ta, false, m, n, k, 1.5f, a, lda, b, n, 0.5f, inPlace, n);
        Assert.Equal(packed.Select(BitConverter.SingleToInt32Bits), inPlace.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(false, false, 128, 512, 128)]
    [InlineData(false, true, 64, 2048, 512)]
    [InlineData(true, false, 30, 100, 600)]   // three k blocks, a partial column strip
    [InlineData(true, true, 17, 4133, 9)]     // more columns than one column block (4096)
    [InlineData(false, true, 1, 1, 1)]
    public void PrepackedOperandGivesExactlyTheUnpackedResult(bool ta, bool tb, int m, int n, int k)
    {
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2;
        var a = Random((ta ? k : m) * lda, 11);
        var b = Random((tb ? n : k) * ldb, 12);
        var c = Random(m * ldc, 13);
        var want = (float[])c.Clone();
        Gemm.Sgemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 1f, want, ldc);
        var buffer = Random(Gemm.PackedLength(k, n) + 7, 14);   // a reused buffer: its contents must not matter
        var packed = Gemm.PackB(tb, k, n, b, ldb, buffer);
        Gemm.SgemmPacked(ta, m, 0.5f, a, lda, packed, 1f, c, ldc);
        Assert.Equal(want, c);
    }
}
