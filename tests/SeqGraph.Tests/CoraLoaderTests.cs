using SeqGraph.Data;

namespace SeqGraph.Tests;

/// <summary>The citation-graph loader on the real Cora files, a LINQS-style fixture, and broken input.</summary>
public class CoraLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "seqgraph-cora-" + Guid.NewGuid().ToString("N"));

    public CoraLoaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string CoraDir => GraphTests.SharedData("graphs", "cora");

    [Fact]
    public void LoadsTheRealCoraFiles()
    {
        var d = CitationGraph.Load(CoraDir, normalizeFeatures: false);
        Assert.Equal(2708, d.NumNodes);
        Assert.Equal(1433, d.NumFeatures);
        Assert.Equal(7, d.NumClasses);
        Assert.Equal(5278, d.Graph.NumEdges);
        Assert.Equal(10556, d.Graph.DirectedEntries);
        Assert.Equal(0, d.Graph.IsolatedNodes);
        Assert.Equal(49216, d.Features.Nnz);
        Assert.Equal((140, 500, 1000), (d.Train.Length, d.Val.Length, d.Test.Length));
        Assert.Equal(Enumerable.Repeat(20, 7), d.ClassCounts(d.Train));
        Assert.Equal(new[] { 130, 91, 144, 319, 149, 103, 64 }, d.ClassCounts(d.Test));
        Assert.Equal("file", d.SplitSource);
        Assert.Equal(1708, d.Test[0]);
    }

    [Fact]
    public void RowNormalisationMakesRowsSumToOne()
    {
        var d = CitationGraph.Load(CoraDir);
        for (int r = 0; r < d.NumNodes; r += 97)
        {
            float s = 0;
            for (int e = d.Features.RowPtr[r]; e < d.Features.RowPtr[r + 1]; e++) s += d.Features.Values[e];
            Assert.Equal(1f, s, 5);
        }
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    private void WriteLinqs()
    {
        // LINQS layout: paper id, word indicators, class name; cites as "cited citing".
        Write("tiny.content", "p31\t1\t0\t1\tTheory\nx7\t0\t1\t0\tNeural_Networks\nz99\t1\t1\t0\tTheory\nq5\t0\t0\t1\tCase_Based\n");
        Write("tiny.cites", "p31\tx7\nx7\tp31\nz99\tq5\nq5\tq5\n");
    }

    [Fact]
    public void ReadsLinqsFilesWithStringIdsAndLabels()
    {
        WriteLinqs();
        Write("tiny.split", "train\tp31,x7\nval\tz99\ntest\tq5\n");
        var d = CitationGraph.Load(_dir, normalizeFeatures: false);
        Assert.Equal(new[] { "p31", "x7", "z99", "q5" }, d.NodeIds);
        Assert.Equal(new[] { "Case_Based", "Neural_Networks", "Theory" }, d.ClassNames);
        Assert.Equal(new[] { 2, 1, 2, 0 }, d.Labels);
        Assert.Equal(2, d.Graph.NumEdges);                       // p31–x7 (twice), z99–q5; the self-loop is dropped
        Assert.Equal(1, d.Graph.DuplicatesMerged);
        Assert.Equal(1, d.Graph.SelfLoopsDropped);
        Assert.Equal(new[] { 0, 1 }, d.Train);
        Assert.Equal(new[] { 3 }, d.Test);
        Assert.Equal(new[] { 0, 2 }, d.Features.ColIndex[..2]);
    }

    [Fact]
    public void DrawsASplitWhenThereIsNoSplitFile()
    {
        // 60 nodes of two classes, no .split: 20 per class train, the rest shared by val and test.
        Write("gen.content", string.Concat(Enumerable.Range(0, 60).Select(i => $"n{i}\t{i % 3}\t1\t{(i % 2 == 0 ? "Even" : "Odd")}\n")));
        Write("gen.cites", string.Concat(Enumerable.Range(1, 59).Select(i => $"n{i - 1}\tn{i}\n")));
        var d = CitationGraph.Load(_dir);
        Assert.Equal("generated", d.SplitSource);
        Assert.Equal(new[] { 20, 20 }, d.ClassCounts(d.Train));
        Assert.Equal((6, 14), (d.Val.Length, d.Test.Length));
        Assert.Empty(d.Train.Intersect(d.Val).Concat(d.Train.Intersect(d.Test)).Concat(d.Val.Intersect(d.Test)));
        Assert.Equal(d.Test, CitationGraph.Load(_dir).Test);     // the same seed draws the same split
    }

    [Fact]
    public void TooSmallForADrawnSplitOrMissingFolderIsAClearError()
    {
        WriteLinqs();
        var e = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.Contains("give a tiny.split file", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => CitationGraph.Load(_dir + "-missing"));
    }

    [Theory]
    [InlineData("a\t1\t0\tX\nb\t1\tX\n", "a\tb\n", "train\ta\nval\tb\ntest\ta\n", "tiny.content:2: 1 features, but the first row has 2")]
    [InlineData("a\t1\t0\tX\nb\t1\t0\tX\n", "a\tc\n", "train\ta\nval\tb\ntest\ta\n", "tiny.cites:1: edge to unknown node 'c'")]
    [InlineData("a\t1\t0\t0\nb\t1\t0\tX\n", "a\tb\n", "train\ta\nval\tb\ntest\ta\n", "tiny.content:2: unknown label 'X'")]
    [InlineData("a\t1\t0\tX\nb\t1\t0\tX\n", "a\tb\n", "train\ta\nval\t\ntest\tb\n", "tiny.split:2: split 'val' is empty")]
    [InlineData("a\t1\t0\tX\nb\t1\t0\tX\n", "a\tb\n", "train\ta\nval\tb\n", "tiny.split: split 'test' is missing")]
    [InlineData("a\t1\tz\tX\nb\t1\t0\tX\n", "a\tb\n", "train\ta\nval\tb\ntest\ta\n", "tiny.content:1: feature 1 is 'z', not a number")]
    [InlineData("a\t1\t0\tX\nb\t1\t0\tX\n", "a\tb\n", "train\ta\nval\tb\ntest\ta\n", "tiny.split:3: node 'a' is already in split 'train'")]
    [InlineData("a\t1\t0\tX\nb\t1\t0\tX\n", "a\tb\t1\tc\n", "train\ta\nval\tb\ntest\ta\n", "tiny.cites:1: expected two node ids and an optional weight, got 4 field(s)")]
    public void MalformedInputNamesTheFileAndLine(string content, string cites, string split, string message)
    {
        Write("tiny.content", content);
        Write("tiny.cites", cites);
        Write("tiny.split", split);
        var e = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.StartsWith(message, e.Message);
    }
}
