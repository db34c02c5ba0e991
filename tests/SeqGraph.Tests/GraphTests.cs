using SeqGraph.Data;
using SeqGraph.Nn.Graph;

namespace SeqGraph.Tests;

/// <summary>Sparse graph construction, Ã, Â and hop distances.</summary>
public class GraphTests
{
    /// <summary>The repository root: the folder holding SeqGraph.slnx above the test binaries.</summary>
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqGraph.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SeqGraph.slnx not found above the test binaries");
    }

    internal static string SharedData(params string[] parts) => Path.Combine(new[] { RepoRoot(), "..", "shared", "data" }.Concat(parts).ToArray());

    internal static string Example6 => SharedData("graphs", "example6", "example6.cites");

    private static readonly float[,] Example6Tilde =
    {
        { 1, 1, 0, 0, 1, 1 }, { 1, 1, 0, 1, 0, 0 }, { 0, 0, 1, 1, 0, 0 },
        { 0, 1, 1, 1, 0, 1 }, { 1, 0, 0, 0, 1, 0 }, { 1, 0, 0, 1, 0, 1 },
    };

    [Fact]
    public void Example6AdjacencyWithSelfLoopsMatchesTheReadme()
    {
        var g = EdgeListFile.Read(Example6);
        Assert.Equal(new[] { "A", "B", "C", "D", "E", "F" }, g.NodeNames);
        Assert.Equal(6, g.NumEdges);
        Assert.Equal(new[] { 3, 2, 1, 3, 1, 2 }, g.Degrees());
        var t = g.Dense(g.WithSelfLoops());
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(Example6Tilde[i, j], t[i, j]);
    }

    [Fact]
    public void Example6NormalizedAdjacencyMatchesHandComputedValues()
    {
        var g = EdgeListFile.Read(Example6);
        var a = g.Dense(g.NormalizedAdjacency());
        // D̃ = degree + 1: A 4, B 3, C 2, D 4, E 2, F 3; Âij = 1/√(d̃i d̃j) where Ãij = 1.
        Assert.Equal(1f / 4f, a[0, 0], 6);                      // A–A: 1/√(4·4)
        Assert.Equal(1f / MathF.Sqrt(12f), a[0, 1], 6);         // A–B: 1/√(4·3)
        Assert.Equal(1f / MathF.Sqrt(8f), a[0, 4], 6);          // A–E: 1/√(4·2)
        Assert.Equal(1f / 2f, a[2, 2], 6);                      // C–C: 1/√(2·2)
        Assert.Equal(1f / MathF.Sqrt(8f), a[2, 3], 6);          // C–D
        Assert.Equal(1f / 3f, a[5, 5], 6);                      // F–F
        Assert.Equal(0f, a[2, 4]);
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(a[i, j], a[j, i]);
        Assert.Same(g.NormalizedAdjacency(), g.NormalizedAdjacencyTransposed());
    }

    [Fact]
    public void Example6HopDistancesAndPowersAgree()
    {
        var g = EdgeListFile.Read(Example6);
        Assert.Equal(4, g.HopDistance(2, 4));                   // C → E
        var d = g.HopDistances();
        Assert.Equal(0, d[3, 3]);
        Assert.Equal(1, d[0, 1]);
        Assert.Equal(2, d[1, 4]);
        // (Ã^k)[C, E] is zero for k < 4 and positive at k = 4.
        var t = g.WithSelfLoops();
        var v = new float[6];
        v[4] = 1;                                               // column E
        for (int k = 1; k <= 4; k++)
        {
            var next = new float[6];
            t.Multiply(v, 1, next);
            v = next;
            if (k < 4) Assert.Equal(0f, v[2]);
            else Assert.True(v[2] > 0);
        }
    }

    [Fact]
    public void DuplicatesAreMergedAndSelfLoopsFollowThePolicy()
    {
        var edges = new[] { (0, 1), (1, 0), (0, 1), (2, 2), (1, 3) };
        var keep = SparseGraph.FromEdges(5, edges);
        Assert.Equal(2, keep.DuplicatesMerged);
        Assert.Equal(1, keep.SelfLoopsKept);
        Assert.Equal(3, keep.NumEdges);                         // 0–1, 2–2, 1–3
        Assert.Equal(5, keep.DirectedEntries);
        Assert.Equal(1, keep.IsolatedNodes);                    // node 4
        var tilde = keep.Dense(keep.WithSelfLoops());
        Assert.Equal(1f, tilde[2, 2]);                          // the given self-loop is not doubled
        Assert.Equal(1f, tilde[4, 4]);
        Assert.Equal(1f, keep.Dense(keep.NormalizedAdjacency())[4, 4]);   // isolated: 1/√(1·1)

        var drop = SparseGraph.FromEdges(5, edges, selfLoops: SelfLoopPolicy.Drop);
        Assert.Equal(1, drop.SelfLoopsDropped);
        Assert.Equal(0, drop.Degrees()[2]);
        Assert.Throws<ArgumentException>(() => SparseGraph.FromEdges(5, edges, selfLoops: SelfLoopPolicy.Error));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseGraph.FromEdges(3, new[] { (0, 3) }));
    }

    [Fact]
    public void DirectedEdgesPointFromSourceToTarget()
    {
        var g = SparseGraph.FromEdges(3, new[] { (0, 1), (1, 2) }, directed: true);
        Assert.Equal(2, g.HopDistance(0, 2));
        Assert.Equal(-1, g.HopDistance(2, 0));
        var a = g.Dense(g.Adjacency);
        Assert.Equal(1f, a[1, 0]);                               // row = receiver
        Assert.Equal(0f, a[0, 1]);
        var ahat = g.NormalizedAdjacency();
        Assert.NotSame(ahat, g.NormalizedAdjacencyTransposed());
        Assert.Equal(g.Dense(ahat)[1, 0], g.Dense(g.NormalizedAdjacencyTransposed())[0, 1]);
    }
}
