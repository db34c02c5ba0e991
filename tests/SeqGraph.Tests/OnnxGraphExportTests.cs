using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SeqGraph.Data;
using SeqGraph.Interop.Onnx;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Graph;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The GCN/GAT of <c>graph train</c> exported as ONNX and run in ONNX Runtime give the logits of
/// SeqGraph's own forward pass in evaluation mode, on the data's features and on random ones.
/// </summary>
public class OnnxGraphExportTests
{
    private const float Tolerance = 1e-5f;

    private readonly ITestOutputHelper _log;

    public OnnxGraphExportTests(ITestOutputHelper log) => _log = log;

    [Fact]
    public void GcnOnCoraMatchesForwardOnRealAndRandomFeatures()
    {
        var (raw, normalised) = (CitationGraph.Load(CoraLoaderTests.CoraDir, normalizeFeatures: false), CitationGraph.Load(CoraLoaderTests.CoraDir));
        var model = Perturbed(new Gcn(raw.NumFeatures, 16, raw.NumClasses, 0.5f, new Rng(3)), 4);
        var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: true), raw);
        AssertMatches(export, model, normalised, raw);
    }

    [Fact]
    public void MultiHeadGatOnCoraMatchesForwardOnRealAndRandomFeatures()
    {
        var (raw, normalised) = (CitationGraph.Load(CoraLoaderTests.CoraDir, normalizeFeatures: false), CitationGraph.Load(CoraLoaderTests.CoraDir));
        // 8 concatenated heads in layer 1, 3 averaged heads in the output layer.
        var model = Perturbed(new Gat(raw.NumFeatures, 8, 8, raw.NumClasses, 0.6f, new Rng(5), outputHeads: 3), 6);
        var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: true), raw);
        AssertMatches(export, model, normalised, raw);
    }

    /// <summary>
    /// ONNX Runtime's ScatterND with a reduction races between its threads on repeated indices (the
    /// first export used it, and a GAT on Cora was off by 0.02 in one run of many under load): the
    /// exported models must give SeqGraph's logits on every run at several intra-op threads.
    /// </summary>
    [Fact]
    public void ManyThreadedRunsInOnnxRuntimeAllGiveSeqGraphsLogits()
    {
        var raw = CitationGraph.Load(CoraLoaderTests.CoraDir, normalizeFeatures: false);
        var normalised = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var x = Dense(raw.Features);
        foreach (NodeClassifier model in new NodeClassifier[]
                 {
                     Perturbed(new Gat(raw.NumFeatures, 8, 8, raw.NumClasses, 0.6f, new Rng(5), outputHeads: 3), 6),
                     Perturbed(new Gcn(raw.NumFeatures, 16, raw.NumClasses, 0.5f, new Rng(3)), 4),
                 })
        {
            var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: true), raw);
            var expected = Forward(model, normalised.Graph, normalised.Features);
            using var options = new SessionOptions { IntraOpNumThreads = 4 };
            using var session = new InferenceSession(export.Model.ToByteArray(), options);
            float worst = 0;
            for (int run = 0; run < 25; run++) worst = MathF.Max(worst, MaxAbsDiff(RunOnnx(session, x, raw.NumNodes, raw.NumFeatures), expected));
            _log.WriteLine($"{export.Description}: 25 runs at 4 intra-op threads, max |ONNX − SeqGraph| {worst:G3}");
            Assert.True(worst <= Tolerance, $"{export.Description}: max |ONNX − SeqGraph| = {worst} in one of 25 runs");
        }
    }

    [Fact]
    public void GcnOnAWeightedGraphUsesTheWeightsAsTrainingDoes()
    {
        using var tmp = new TempDir();
        string dir = WriteGraph(tmp.File("weighted"), weighted: true);
        var raw = CitationGraph.Load(dir, normalizeFeatures: false);
        Assert.True(raw.Graph.Weighted);
        var model = Perturbed(new Gcn(raw.NumFeatures, 5, raw.NumClasses, 0.5f, new Rng(7)), 8);
        var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: true), raw);
        Assert.Contains(export.Model.MetadataProps, p => p.Key == "weighted_edges" && p.Value == "true");
        AssertMatches(export, model, CitationGraph.Load(dir), raw);

        // The weights matter: the same model on the unweighted graph gives other logits.
        var unweighted = CitationGraph.Load(WriteGraph(tmp.File("plain"), weighted: false));
        float diff = MaxAbsDiff(Forward(model, unweighted.Graph, unweighted.Features), Forward(model, raw.Graph, CitationGraph.Load(dir).Features));
        Assert.True(diff > 1e-3, $"weights changed the logits by only {diff}");
    }

    [Fact]
    public void GatOnASmallWeightedGraphWithoutNormalisationMatchesForward()
    {
        using var tmp = new TempDir();
        var raw = CitationGraph.Load(WriteGraph(tmp.File("g"), weighted: true), normalizeFeatures: false);
        var model = Perturbed(new Gat(raw.NumFeatures, 4, 2, raw.NumClasses, 0.6f, new Rng(9)), 10);
        var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: false), raw);
        Assert.Contains(export.Model.MetadataProps, p => p.Key == "normalize_features" && p.Value == "false");
        AssertMatches(export, model, raw, raw);
    }

    [Theory]
    [InlineData("gcn")]
    [InlineData("gat")]
    public void MessagesFlowAlongTheEdgesOfADirectedGraph(string kind)
    {
        // Loaded graphs are undirected, where Â is symmetric; a directed one shows which end sends (A[v, u] for u → v).
        var rng = new Rng(21);
        int n = 30, f = 6;
        var edges = Enumerable.Range(0, 60).Select(_ => (rng.NextInt(n), rng.NextInt(n))).Where(e => e.Item1 != e.Item2).ToList();
        var x = RandomFeatures(n, f, rng);
        var data = new CitationGraph
        {
            Graph = SparseGraph.FromEdges(n, edges, directed: true), Features = ToCsr(x, n, f), Labels = Enumerable.Range(0, n).Select(i => i % 2).ToArray(),
            ClassNames = new[] { "a", "b" }, NodeIds = Enumerable.Range(0, n).Select(i => "v" + i).ToArray(),
            Train = [0, 1], Val = [2], Test = [3], SplitSource = "file", Name = "directed",
        };
        NodeClassifier model = kind == "gcn" ? new Gcn(f, 4, 2, 0.5f, new Rng(2)) : new Gat(f, 3, 2, 2, 0.5f, new Rng(2), outputHeads: 2);
        Perturbed(model, 22);
        var export = NodeClassifierOnnx.Build(Saved(model, data, normalize: false), data);
        AssertMatches(export, model, data, data);
        // and the reversed graph would give other logits, so the comparison above can tell
        var reversed = SparseGraph.FromEdges(n, edges.Select(e => (e.Item2, e.Item1)), directed: true);
        Assert.True(MaxAbsDiff(Forward(model, reversed, data.Features), Forward(model, data.Graph, data.Features)) > 1e-3);
    }

    [Fact]
    public void TheGraphIsStoredAsEdgeListsNeverAsAnNByNMatrix()
    {
        var raw = CitationGraph.Load(CoraLoaderTests.CoraDir, normalizeFeatures: false);
        var model = new Gat(raw.NumFeatures, 8, 8, raw.NumClasses, 0.6f, new Rng(1));
        var export = NodeClassifierOnnx.Build(Saved(model, raw, normalize: true), raw);
        int n = raw.NumNodes, edges = raw.Graph.WithSelfLoops().Nnz;
        var graph = export.Model.Graph;
        // The initializers hold the parameters, two edge lists and a handful of shapes: O(edges), nothing N×N.
        long stored = graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
        Assert.InRange(stored, model.ParameterCount + 2L * edges, model.ParameterCount + 2L * edges + 100);
        Assert.DoesNotContain(graph.Initializer, t => t.Dims.Count(d => d == n) > 1);
        var src = graph.Initializer.Single(t => t.Name == "edge_src");
        Assert.Equal(new long[] { edges }, src.Dims.ToArray());
        Assert.Contains(graph.Node, node => node.OpType == "ScatterElements" && node.Attribute.Any(a => a.Name == "reduction" && a.S.ToStringUtf8() == "max"));
        var meta = export.Model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(raw.ClassNames, JsonSerializer.Deserialize<string[]>(meta["class_names"]));
        Assert.Equal(raw.NodeIds, JsonSerializer.Deserialize<string[]>(meta["node_ids"]));
        Assert.Equal("gat", meta["model"]);
        Assert.Equal(new[] { "x" }, graph.Input.Select(i => i.Name));
        Assert.Equal(new[] { "logits" }, graph.Output.Select(i => i.Name));
        Assert.Equal(new long[] { n, raw.NumClasses }, graph.Output[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue));
    }

    [Fact]
    public void DataWithAnotherFeatureCountIsRefused()
    {
        using var tmp = new TempDir();
        var raw = CitationGraph.Load(WriteGraph(tmp.File("g"), weighted: false), normalizeFeatures: false);
        var model = new Gcn(raw.NumFeatures + 1, 4, raw.NumClasses, 0.5f, new Rng(1));
        var e = Assert.Throws<InvalidDataException>(() => NodeClassifierOnnx.Build(Saved(model, raw, normalize: true, features: raw.NumFeatures + 1), raw));
        Assert.Contains($"{raw.NumFeatures} features", e.Message);
    }

    // ── helpers shared with the CLI tests ──────────────────────────────────────────────────────

    /// <summary>
    /// Runs <paramref name="export"/> in ONNX Runtime on <paramref name="raw"/>'s features and on
    /// random features (zero rows among them) and compares with <paramref name="model"/>'s forward
    /// on the features SeqGraph itself would use (<paramref name="asTrained"/>'s, or the random ones
    /// normalised as the loader does when the model was trained so).
    /// </summary>
    private void AssertMatches(OnnxExport export, NodeClassifier model, CitationGraph asTrained, CitationGraph raw)
    {
        bool normalize = export.Model.MetadataProps.Single(p => p.Key == "normalize_features").Value == "true";
        using var session = new InferenceSession(export.Model.ToByteArray());
        float real = MaxAbsDiff(RunOnnx(session, Dense(raw.Features), raw.NumNodes, raw.NumFeatures), Forward(model, asTrained.Graph, asTrained.Features));
        Assert.True(real <= Tolerance, $"data features: max |ONNX − SeqGraph| = {real}");

        var random = RandomFeatures(raw.NumNodes, raw.NumFeatures, new Rng(42));
        var csr = ToCsr(random, raw.NumNodes, raw.NumFeatures);
        if (normalize) CitationGraph.RowNormalize(csr);
        float rnd = MaxAbsDiff(RunOnnx(session, random, raw.NumNodes, raw.NumFeatures), Forward(model, raw.Graph, csr));
        Assert.True(rnd <= Tolerance, $"random features: max |ONNX − SeqGraph| = {rnd}");
        _log.WriteLine($"{export.Description}: max |ONNX − SeqGraph| {real:G3} on the data's features, {rnd:G3} on random ones");
    }

    internal static float[] RunOnnx(InferenceSession session, float[] x, int nodes, int features)
    {
        var input = NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, new[] { nodes, features }));
        using var results = session.Run(new[] { input });
        return results.Single(r => r.Name == "logits").AsTensor<float>().ToArray();
    }

    internal static float[] Forward(NodeClassifier model, SparseGraph graph, CsrMatrix features)
    {
        model.Eval();
        return model.Forward(graph, features).Data.ToArray();
    }

    internal static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(float.IsFinite(a[i]) && float.IsFinite(b[i]), $"non-finite logit at {i}");
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }

    internal static float[] Dense(CsrMatrix m) => m.ToDense().Data.ToArray();

    // every parameter (biases and attention vectors included) moved off its initial value, so a misplaced one shows
    private static T Perturbed<T>(T model, ulong seed) where T : NodeClassifier
    {
        var rng = new Rng(seed);
        foreach (var p in model.Parameters())
            for (int i = 0; i < p.Data.Length; i++) p.Data[i] += (rng.NextFloat() - 0.5f) * 0.6f;
        return model;
    }

    private static SavedNodeModel Saved(NodeClassifier model, CitationGraph data, bool normalize, int? features = null)
    {
        var options = model is Gat ? NodeTrainingOptions.For(GraphModel.Gat) : NodeTrainingOptions.For(GraphModel.Gcn);
        model.Eval();
        return new SavedNodeModel(model, options, features ?? data.NumFeatures, data.ClassNames, "", data.Name, normalize, 0, 0, 0, 0, false);
    }

    // non-negative counts, most zero, and every 7th row all zero (the normalisation must leave it alone)
    private static float[] RandomFeatures(int n, int f, Rng rng)
    {
        var x = new float[n * f];
        for (int i = 0; i < n; i++)
            if (i % 7 != 3)
                for (int j = 0; j < f; j++)
                    if (rng.NextFloat() < 0.05f) x[i * f + j] = 1 + rng.NextInt(3) + rng.NextFloat();
        return x;
    }

    private static CsrMatrix ToCsr(float[] x, int rows, int cols) =>
        CsrMatrix.FromTriples(rows, cols, Enumerable.Range(0, rows * cols).Where(k => x[k] != 0).Select(k => (k / cols, k % cols, x[k])));

    /// <summary>
    /// A small citation-graph folder: 40 nodes in 3 classes with 12 count features (node 5 has
    /// none), a ring plus chords, node 39 isolated; edge weights in 0.5..3 when <paramref name="weighted"/>.
    /// </summary>
    internal static string WriteGraph(string dir, bool weighted)
    {
        Directory.CreateDirectory(dir);
        var rng = new Rng(11);
        var inv = CultureInfo.InvariantCulture;
        var content = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            content.Append("n").Append(i);
            for (int j = 0; j < 12; j++) content.Append('\t').Append(i == 5 || rng.NextFloat() < 0.6f ? "0" : (1 + rng.NextInt(3)).ToString(inv));
            content.Append('\t').Append(new[] { "alpha", "beta", "gamma" }[i % 3]).Append('\n');
        }
        File.WriteAllText(Path.Combine(dir, "tiny.content"), content.ToString());
        var cites = new StringBuilder();
        for (int i = 0; i < 39; i++)
        {
            foreach (int j in new[] { (i + 1) % 39, (i * 7 + 3) % 39 })
            {
                if (j == i) continue;
                cites.Append("n").Append(i).Append('\t').Append("n").Append(j);
                if (weighted) cites.Append('\t').Append((0.5 + 2.5 * ((Math.Min(i, j) * 13 + Math.Max(i, j) * 5) % 11) / 10.0).ToString("0.###", inv));
                cites.Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(dir, "tiny.cites"), cites.ToString());
        return dir;
    }
}
