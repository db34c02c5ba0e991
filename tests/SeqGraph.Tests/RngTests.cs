using SeqGraph.Random;

namespace SeqGraph.Tests;

public class RngTests
{
    [Fact]
    public void StreamMatchesIndependentXoshiroImplementation()
    {
        // Expected values from a separate Python implementation of SplitMix64 seeding and
        // xoshiro256** (written from the published algorithm, run once; not from this code).
        var g = new Rng(0);
        Assert.Equal(0x99ec5f36cb75f2b4UL, g.NextUInt64());
        Assert.Equal(0xbf6e1f784956452aUL, g.NextUInt64());
        Assert.Equal(0x1a5f849d4933e6e0UL, g.NextUInt64());
        var h = new Rng(12345);
        Assert.Equal(13720838825685603483UL, h.NextUInt64());
        Assert.Equal(2398916695208396998UL, h.NextUInt64());
        var f = new Rng(7);
        Assert.Equal(0.7005764245986938f, f.NextFloat());
        Assert.Equal(0.2787511944770813f, f.NextFloat());
    }

    [Fact]
    public void SameSeedSameNumbersDifferentSeedDifferentNumbers()
    {
        var a = new Rng(5);
        var b = new Rng(5);
        var c = new Rng(6);
        var xa = Enumerable.Range(0, 100).Select(_ => a.NextNormal()).ToArray();
        var xb = Enumerable.Range(0, 100).Select(_ => b.NextNormal()).ToArray();
        var xc = Enumerable.Range(0, 100).Select(_ => c.NextNormal()).ToArray();
        Assert.Equal(xa, xb);
        Assert.NotEqual(xa, xc);
    }

    [Fact]
    public void UniformAndNormalHaveTheRightMoments()
    {
        var g = new Rng(1);
        var u = new float[200_000];
        var n = new float[200_000];
        g.FillUniform(u, -1f, 3f);
        g.FillNormal(n, 2f, 0.5f);
        Assert.All(u, v => Assert.InRange(v, -1f, 3f));
        Assert.InRange(u.Average(), 0.99, 1.01);                 // mean 1
        Assert.InRange(n.Average(), 1.995, 2.005);
        double var = n.Select(v => (v - 2.0) * (v - 2.0)).Average();
        Assert.InRange(Math.Sqrt(var), 0.495, 0.505);
    }

    [Fact]
    public void IntegersAreUniformAndInRange()
    {
        var g = new Rng(2);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[g.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        for (int i = 0; i < 1000; i++) Assert.InRange(g.NextInt(-3, 4), -3, 3);
        for (int i = 0; i < 1000; i++) Assert.InRange(g.NextLong(10, 10_000_000_000L), 10, 9_999_999_999L);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.NextInt(0));
    }

    [Fact]
    public void PermutationIsAPermutation()
    {
        var g = new Rng(3);
        var p = g.Permutation(50);
        Assert.Equal(Enumerable.Range(0, 50), p.OrderBy(x => x));
        Assert.NotEqual(Enumerable.Range(0, 50), p);
    }

    [Fact]
    public void CategoricalFollowsTheWeights()
    {
        var g = new Rng(4);
        var w = new[] { 1f, 0f, 3f, 6f };
        var counts = new int[4];
        for (int i = 0; i < 100_000; i++) counts[g.Categorical(w)]++;
        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[0], 9_500, 10_500);
        Assert.InRange(counts[2], 29_300, 30_700);
        Assert.InRange(counts[3], 59_200, 60_800);
        Assert.Throws<ArgumentException>(() => g.Categorical(new[] { 0f, 0f }));
        Assert.Throws<ArgumentException>(() => g.Categorical(new[] { 1f, float.NaN }));
    }

    [Fact]
    public void StateRoundTripContinuesTheStream()
    {
        var g = new Rng(9);
        g.NextNormal(); // leaves a spare normal cached
        var s = g.GetState();
        var expected = Enumerable.Range(0, 10).Select(_ => g.NextNormal()).ToArray();
        var h = new Rng(1234);
        h.SetState(s);
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => h.NextNormal()).ToArray());
    }
}
