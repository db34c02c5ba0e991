using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// The packing routines give exactly the strip layout the kernels read (element (p, r) at
/// dst[p·W + r], zeros past the strip's width) and write nothing past the strip, for the strip
/// widths of every kernel (6 for AVX2 and 128-bit A strips, 8, 14, 16, 32) on this machine's paths.
/// </summary>
public unsafe class GemmPackTests
{
    private const float Guard = 12345f;

    public static TheoryData<int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int W in new[] { 6, 8, 14, 16, 32 })
            foreach (int w in new[] { 1, W - 1, W })
                foreach (int len in new[] { 1, 7, 8, 9, 16, 23, 256 })
                    data.Add(W, w, len);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StridedIsTheTransposedStrip(int W, int w, int len) => Check(W, w, len, strided: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ContiguousIsTheCopiedStrip(int W, int w, int len) => Check(W, w, len, strided: false);

    /// <summary>A panel of several strips (a partial last one included) is the strips packed one by one.</summary>
    [Theory]
    [InlineData(6, 1, 256)]
    [InlineData(6, 144, 256)]
    [InlineData(6, 143, 9)]
    [InlineData(8, 200, 7)]
    [InlineData(14, 141, 33)]
    [InlineData(16, 1024, 256)]
    [InlineData(16, 1000, 5)]
    [InlineData(32, 4095, 17)]
    public void ContiguousPanelIsTheStripsOneByOne(int W, int width, int len)
    {
        int ld = width + 3, strips = (width + W - 1) / W;
        var src = new float[len * ld];
        var rng = new System.Random(width + len);
        for (int i = 0; i < src.Length; i++) src[i] = (float)(rng.NextDouble() * 2 - 1);
        var want = new float[strips * len * W];
        var got = new float[want.Length + 16];
        Array.Fill(got, Guard);
        fixed (float* s = src, g = got, e = want)
        {
            for (int t = 0; t < strips; t++)
                GemmPack.Contiguous(s + t * W, ld, len, Math.Min(W, width - t * W), W, e + t * len * W);
            GemmPack.ContiguousPanel(s, ld, len, width, W, g);
        }
        Assert.Equal(want, got[..want.Length]);
        Assert.All(got[want.Length..], x => Assert.Equal(Guard, x));
    }

    private static void Check(int W, int w, int len, bool strided)
    {
        // The source as the driver passes it: a corner of a larger matrix (ld bigger than the strip).
        int ld = (strided ? len : W) + 5;
        var src = new float[(strided ? w : len) * ld + 3];
        var rng = new System.Random(W * 1000 + w * 10 + len);
        for (int i = 0; i < src.Length; i++) src[i] = (float)(rng.NextDouble() * 2 - 1);
        // Poisoned where the strip goes, guarded after it.
        var dst = new float[len * W + 16];
        Array.Fill(dst, Guard);
        fixed (float* s = src, d = dst)
        {
            if (strided) GemmPack.Strided(s, ld, len, w, W, d);
            else GemmPack.Contiguous(s, ld, len, w, W, d);
        }
        for (int p = 0; p < len; p++)
            for (int r = 0; r < W; r++)
            {
                float want = r >= w ? 0f : strided ? src[r * ld + p] : src[p * ld + r];
                Assert.True(want == dst[p * W + r], $"step {p}, row {r}: {dst[p * W + r]}, want {want}");
            }
        for (int i = len * W; i < dst.Length; i++)
            Assert.True(dst[i] == Guard, $"written past the strip at {i - len * W}");
    }
}
