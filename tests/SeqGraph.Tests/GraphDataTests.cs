using SeqGraph.Data;

namespace SeqGraph.Tests;

/// <summary>A user's own graph data: CSV and weighted edge lists, nodes without labels, splits drawn for small graphs.</summary>
public class GraphDataTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "seqgraph-graphdata-" + Guid.NewGuid().ToString("N"));

    public GraphDataTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    /// <summary>
    /// A small graph written to <paramref name="dir"/>: <paramref name="perClass"/> labelled nodes in
    /// each of three classes (A, B, C; features a noisy class indicator, edges a ring inside each
    /// class and one bridge between classes) and <paramref name="unlabelled"/> nodes without a label
    /// (alternately an empty label and -1), each linked to one labelled node. Edges as
    /// <c>small.csv</c> with a header (weighted: a third column) or as <c>small.cites</c>.
    /// </summary>
    internal static void WriteSmallGraph(string dir, int perClass = 10, int unlabelled = 4, bool csv = true, bool weighted = true)
    {
        Directory.CreateDirectory(dir);
        var content = new System.Text.StringBuilder();
        var edges = new List<(string, string, int)>();
        string[] classes = { "A", "B", "C" };
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < perClass; k++)
            {
                var f = new int[6];
                f[c] = 1;
                f[3 + (k % 3)] = 1;                       // class-free noise
                if (k % 4 == 3) f[(c + 1) % 3] = 1;       // some nodes look like the next class
                content.Append($"{classes[c]}{k}\t{string.Join('\t', f)}\t{classes[c]}\n");
                edges.Add(($"{classes[c]}{k}", $"{classes[c]}{(k + 1) % perClass}", 1 + k % 3));
            }
        edges.Add(("A0", "B0", 1));
        edges.Add(("B0", "C0", 1));
        for (int u = 0; u < unlabelled; u++)
        {
            content.Append($"u{u}\t1\t1\t1\t0\t0\t0\t{(u % 2 == 0 ? "" : "-1")}\n");
            edges.Add(($"u{u}", $"{classes[u % 3]}{u}", 2));
        }
        File.WriteAllText(Path.Combine(dir, "small.content"), content.ToString());
        string Line((string U, string V, int W) e, char sep) => weighted ? $"{e.U}{sep}{e.V}{sep}{e.W}" : $"{e.U}{sep}{e.V}";
        if (csv) File.WriteAllText(Path.Combine(dir, "small.csv"), (weighted ? "source,target,weight\n" : "source,target\n") + string.Concat(edges.Select(e => Line(e, ',') + "\n")));
        else File.WriteAllText(Path.Combine(dir, "small.cites"), string.Concat(edges.Select(e => Line(e, '\t') + "\n")));
    }

    [Fact]
    public void ReadsACsvEdgeListWithAHeaderLine()
    {
        Write("g.content", "a\t1\t0\tX\nb\t0\t1\tY\nc\t1\t1\tX\n");
        Write("g.csv", "source,target\na,b\n\"b\",c\n");
        Write("g.split", "train\ta\nval\tb\ntest\tc\n");
        var d = CitationGraph.Load(_dir);
        Assert.Equal("g.csv", d.EdgeFile);
        Assert.Equal(2, d.Graph.NumEdges);
        Assert.False(d.Graph.Weighted);
        Assert.Equal(new[] { 1 }, d.Graph.Adjacency.ColIndex[..1]);                      // a's neighbour is b
        Assert.Equal(new[] { 0, 2 }, d.Graph.Adjacency.ColIndex[1..3]);                  // b's are a and c
    }

    [Fact]
    public void QuotedCsvFieldsMayHoldCommasAndQuotes()
    {
        Write("q.content", "a\t1\tX\nb,c\t0\t-1\nsay\"hi\"\t1\tY\nd\t1\tX\n");            // "b,c" has no label: in no split
        Write("q.csv", "source,target\na,\"b,c\"\n \"b,c\" , \"say\"\"hi\"\"\"\n");
        Write("q.split", "train\ta\nval\td\ntest\tsay\"hi\"\n");
        var d = CitationGraph.Load(_dir);
        Assert.Equal(2, d.Graph.NumEdges);
        Assert.Equal(new[] { 0, 2 }, d.Graph.Adjacency.ColIndex[1..3]);                  // "b,c" has a and say"hi"
        Write("q.csv", "source,target\na,\"b,c\n");
        var e = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.Equal("q.csv:2: a quoted field is not closed", e.Message);
    }

    [Fact]
    public void WeightedEdgesEnterGcnNormalisationAsWeightedDegrees()
    {
        // a–b weight 2, b–c weight 1: D̃ = (1+2, 2+1+1, 1+1) = (3, 4, 2), Âᵢⱼ = Ãᵢⱼ / √(D̃ᵢ D̃ⱼ).
        Write("w.content", "a\t1\tX\nb\t1\tY\nc\t1\tX\n");
        Write("w.cites", "a b 2\nb c 1\n");
        Write("w.split", "train\ta\nval\tb\ntest\tc\n");
        var d = CitationGraph.Load(_dir);
        Assert.True(d.Graph.Weighted);
        var ahat = d.Graph.Dense(d.Graph.NormalizedAdjacency());
        Assert.Equal(1.0 / 3, ahat[0, 0], 6);
        Assert.Equal(2 / Math.Sqrt(12), ahat[0, 1], 6);
        Assert.Equal(2 / Math.Sqrt(12), ahat[1, 0], 6);
        Assert.Equal(1.0 / 4, ahat[1, 1], 6);
        Assert.Equal(1 / Math.Sqrt(8), ahat[1, 2], 6);
        Assert.Equal(1.0 / 2, ahat[2, 2], 6);
        Assert.Equal(0, ahat[0, 2]);
    }

    [Fact]
    public void UnitWeightsGiveBitForBitTheUnweightedNormalisation()
    {
        var edges = new[] { (0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (4, 4) };
        var plain = SparseGraph.FromEdges(5, edges);
        var weighted = SparseGraph.FromWeightedEdges(5, edges.Select(e => (e.Item1, e.Item2, 1f)));
        Assert.Equal(plain.NormalizedAdjacency().Values, weighted.NormalizedAdjacency().Values);
        Assert.Equal(plain.NormalizedAdjacency().ColIndex, weighted.NormalizedAdjacency().ColIndex);
    }

    [Fact]
    public void NodesWithoutALabelAreInNoSplitButInTheGraph()
    {
        WriteSmallGraph(_dir, perClass: 10, unlabelled: 4);
        var d = CitationGraph.Load(_dir);
        Assert.Equal(34, d.NumNodes);
        Assert.Equal(30, d.LabelledNodes);
        Assert.Equal(new[] { "A", "B", "C" }, d.ClassNames);
        var unlabelled = Enumerable.Range(30, 4).ToArray();
        Assert.All(unlabelled, i => Assert.Equal(CitationGraph.Unlabelled, d.Labels[i]));
        Assert.Empty(d.Train.Concat(d.Val).Concat(d.Test).Intersect(unlabelled));
        Assert.All(unlabelled, i => Assert.Equal(1, d.Graph.Degrees()[i]));             // they take part in message passing
        Assert.True(d.Graph.Weighted);
    }

    [Fact]
    public void ASmallGraphGetsASplitScaledToIt()
    {
        // 30 labelled nodes, 10 per class: at most two thirds of a class trains (6), a third of the other 12 validates.
        WriteSmallGraph(_dir, perClass: 10, unlabelled: 0);
        var d = CitationGraph.Load(_dir);
        Assert.Equal("generated", d.SplitSource);
        Assert.Equal(new[] { 6, 6, 6 }, d.ClassCounts(d.Train));
        Assert.Equal((18, 4, 8), (d.Train.Length, d.Val.Length, d.Test.Length));
        Assert.Equal(30, d.Train.Concat(d.Val).Concat(d.Test).Distinct().Count());
    }

    [Fact]
    public void SixLabelledNodesStillGetATrainValTestSplit()
    {
        Write("six.content", "a\t1\tX\nb\t1\tX\nc\t1\tX\nd\t1\tY\ne\t1\tY\nf\t1\tY\ng\t1\t\n");
        Write("six.cites", "a\tb\nb\tc\nc\td\nd\te\ne\tf\nf\tg\n");
        var d = CitationGraph.Load(_dir);
        Assert.Equal(new[] { 2, 2 }, d.ClassCounts(d.Train));
        Assert.Equal((4, 1, 1), (d.Train.Length, d.Val.Length, d.Test.Length));
        Assert.DoesNotContain(6, d.Train.Concat(d.Val).Concat(d.Test));
    }

    [Fact]
    public void TooFewLabelledNodesSayHowToGiveASplit()
    {
        Write("two.content", "a\t1\tX\nb\t1\tY\nc\t1\t-1\n");
        Write("two.cites", "a\tb\nb\tc\n");
        var e = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.StartsWith("two: 2 labelled node(s) are too few to draw a train/val/test split", e.Message);
        Assert.Contains("give a two.split file with three lines 'train<TAB>id,id,…'", e.Message);
    }

    [Theory]
    [InlineData("g.cites", "a\tb\t1\nb\tc\n", "g.cites:2: 2 field(s), but the first edge has 3 (a weight must be given on every line or on none)")]
    [InlineData("g.cites", "a\tb\tx\n", "g.cites:1: weight 'x' is not a positive number")]
    [InlineData("g.cites", "a\tb\t-2\n", "g.cites:1: weight '-2' is not a positive number")]
    [InlineData("g.cites", "a\tb\t1\nb\ta\t3\n", "g.cites:2: edge b–a has weight 3, but line 1 gave it 1")]
    [InlineData("g.csv", "a,b\nb,c\n", "g.csv:1: looks like an edge, not a header")]
    [InlineData("g.csv", "source\na\n", "g.csv:1: the header should name 2 or 3 columns")]
    [InlineData("g.csv", "source,target\na,b,1\n", "g.csv:2: 3 field(s), but the header has 2")]
    [InlineData("g.csv", "source,target\na,z\n", "g.csv:2: edge to unknown node 'z'")]
    [InlineData("g.split", "train\ta\nval\tb\ntest\tu\n", "g.split:3: split 'test' names node 'u', which has no label")]
    public void MalformedEdgeListsNameTheFileAndLine(string file, string text, string message)
    {
        Write("g.content", "a\t1\tX\nb\t1\tY\nc\t1\tX\nu\t1\t-1\n");
        if (file != "g.csv" && file != "g.cites") Write("g.cites", "a\tb\n");
        Write(file, text);
        if (file != "g.split") Write("g.split", "train\ta\nval\tb\ntest\tc\n");
        var e = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void TwoEdgeFilesOrNoneAreClearErrors()
    {
        Write("g.content", "a\t1\tX\nb\t1\tY\n");
        var none = Assert.Throws<FileNotFoundException>(() => CitationGraph.Load(_dir));
        Assert.Contains("no edge file (a .cites file, or g.csv with a header line)", none.Message);
        Write("g.cites", "a\tb\n");
        Write("g.csv", "source,target\na,b\n");
        var both = Assert.Throws<InvalidDataException>(() => CitationGraph.Load(_dir));
        Assert.Contains("has both g.cites and g.csv", both.Message);
    }
}
