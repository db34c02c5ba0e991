using System.Text.Json.Nodes;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Experiments.Graph;
using SeqGraph.IO;
using SeqGraph.Nn.Graph;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// The graph view in the library (<see cref="GraphView"/>) on runs of the real command: its PCA is the
/// one embedding.svg draws, its predictions are graph predict's, its wrong test nodes are what the
/// summary's accuracy says; GAT's attention coefficients (<see cref="GatConv.AttentionCoefficients(SparseGraph, Tensor)"/>)
/// sum to 1 per node and head and are the ones the layer's forward pass uses.
/// </summary>
public sealed class GraphViewTests(GraphViewRunsFixture runs) : IClassFixture<GraphViewRunsFixture>
{
    [Fact]
    public void GcnViewHasTheTrainingPcaThePredictionsOfGraphPredictAndTheSummarysTestAccuracy()
    {
        string run = runs.Run("gcn");
        var view = GraphView.Run(new GraphViewConfig { Run = run, Seed = 1, Threads = 2 });
        Assert.Equal("gcn", view.Model);
        Assert.Equal([0UL, 1UL], view.Seeds);
        Assert.Equal(1UL, view.Seed);
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        Assert.Equal(data.NumNodes, view.Nodes);
        Assert.Equal(data.Graph.Degrees(), view.Degree);

        // The coordinates are the PCA of the hidden layer that training kept for embedding.svg (same settings, same seed).
        var config = RunJson.Read<GraphTraining.RunConfig>(Path.Combine(run, RunFolder.ConfigFileName));
        var trained = NodeTrainer.Train(data, config, 1, null, default);
        var points = Projection.Pca2(trained.Embedding);
        Assert.Equal(trained.BestEpoch, view.Epoch);
        Assert.Equal(points.Data.Where((_, i) => i % 2 == 0).ToArray(), view.X);
        Assert.Equal(points.Data.Where((_, i) => i % 2 == 1).ToArray(), view.Y);
        Assert.Equal(Projection.VarianceShares(trained.Embedding, points), view.VarianceShares);
        Assert.True(view.VarianceShares[0] >= view.VarianceShares[1] && view.VarianceShares[0] > 0);

        // The predicted classes are graph predict's for the same checkpoint.
        string csv = runs.Scratch.File("gcn-seed1.csv");
        GraphPrediction.Run(new GraphPredictConfig { Run = run, Seed = 1, Out = csv, Threads = 2 });
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(view.NodeIds, rows.Select(r => r[0]));
        Assert.Equal(rows.Select(r => r[1]), view.Predicted.Select(p => view.ClassNames[p]));
        Assert.Equal(rows.Select(r => r[4]), view.Split);
        Assert.Equal(rows.Select(r => r[3]), view.Labels.Select(l => l < 0 ? "" : view.ClassNames[l]));

        // The wrong test nodes are as many as the run's summary says for this seed.
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, RunFolder.SummaryFileName)))!;
        var seed = ((JsonArray)summary["runs"]!).Single(s => (ulong)s!["seed"]! == 1)!;
        int test = data.Test.Length;
        int wrong = data.Test.Count(i => view.Predicted[i] != view.Labels[i]);
        Assert.Equal(Math.Round((1 - (double)seed["test_accuracy"]!) * test), wrong);
        Assert.Equal((double)seed["test_accuracy"]!, view.TestAccuracy, 6);
    }

    [Fact]
    public void GcnNeighboursAreTheDataNeighboursWithTheNormalisedWeights()
    {
        var view = GraphView.Run(new GraphViewConfig { Run = runs.Run("gcn"), Threads = 2 });
        Assert.Equal(0UL, view.Seed);
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var a = data.Graph.Adjacency;
        int node = Enumerable.Range(0, view.Nodes).First(i => view.Degree[i] >= 3);
        var n = view.Neighbours(node);
        Assert.Equal(view.Degree[node], n.Neighbours.Count);
        Assert.Equal(a.ColIndex[a.RowPtr[node]..a.RowPtr[node + 1]], n.Neighbours.Select(e => e.Node));
        int[] degrees = data.Graph.Degrees();
        foreach (var e in n.Neighbours)
        {
            Assert.Equal(1 / Math.Sqrt((degrees[node] + 1.0) * (degrees[e.Node] + 1)), e.Weight!.Value, 6);
            Assert.Equal(view.Predicted[e.Node], e.Predicted);
            Assert.Null(e.Attention);
        }
        Assert.Equal(1.0 / (degrees[node] + 1), n.Self.Weight!.Value, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Neighbours(view.Nodes));
    }

    [Fact]
    public void GatAttentionSumsToOneOverEachNodesIncomingEdgesAndIsWhatTheForwardUses()
    {
        var graph = SparseGraph.FromEdges(6, [(0, 1), (1, 2), (2, 3), (3, 0), (0, 4), (4, 5), (1, 5)]);
        var conv = new GatConv(5, 3, new Rng(7), heads: 2, concat: true);
        conv.Eval();
        var x = Tensor.Zeros(6, 5);
        var rng = new Rng(3);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextFloat() * 2 - 1;
        float[] alpha = conv.AttentionCoefficients(graph, x);
        var t = graph.WithSelfLoops();
        Assert.Equal(t.Nnz * 2, alpha.Length);

        // A direct computation from the paper's formula, in double.
        Tensor wh;
        using (Tape.NoGrad()) wh = Ops.MatMul(x, conv.Weight);
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 2; k++)
            {
                var score = new List<double>();
                for (int e = t.RowPtr[i]; e < t.RowPtr[i + 1]; e++)
                {
                    double z = 0;
                    for (int f = 0; f < 3; f++)
                        z += conv.AttDst.Data[k * 3 + f] * wh.Data[i * 6 + k * 3 + f] + conv.AttSrc.Data[k * 3 + f] * wh.Data[t.ColIndex[e] * 6 + k * 3 + f];
                    score.Add(z > 0 ? z : 0.2 * z);
                }
                double max = score.Max(), sum = score.Sum(s => Math.Exp(s - max));
                for (int e = t.RowPtr[i], q = 0; e < t.RowPtr[i + 1]; e++, q++)
                    Assert.Equal(Math.Exp(score[q] - max) / sum, alpha[e * 2 + k], 6);
                Assert.Equal(1.0, Enumerable.Range(t.RowPtr[i], t.RowPtr[i + 1] - t.RowPtr[i]).Sum(e => (double)alpha[e * 2 + k]), 6);
            }

        // The forward's output is Σ_j α_ij·Wh_j (heads concatenated) plus the bias, with these α.
        Tensor y;
        using (Tape.NoGrad()) y = conv.Forward(graph, x);
        for (int i = 0; i < 6; i++)
            for (int c = 0; c < 6; c++)
            {
                int k = c / 3;
                double expected = conv.Bias!.Data[c];
                for (int e = t.RowPtr[i]; e < t.RowPtr[i + 1]; e++) expected += alpha[e * 2 + k] * wh.Data[t.ColIndex[e] * 6 + c];
                Assert.Equal(expected, y.Data[i * 6 + c], 5);
            }

        conv.Train();
        Assert.Throws<InvalidOperationException>(() => conv.AttentionCoefficients(graph, x));
    }

    [Fact]
    public void GatViewGivesEachNodesAttentionPerHeadAndLayerSummingToOne()
    {
        var view = GraphView.Run(new GraphViewConfig { Run = runs.Run("gat"), Threads = 2 });
        Assert.Equal("gat", view.Model);
        Assert.Equal([2, 1], view.Heads);
        foreach (int node in new[] { 0, 7, Array.IndexOf(view.Degree, view.Degree.Max()) })
        {
            var n = view.Neighbours(node);
            Assert.Equal(view.Degree[node], n.Neighbours.Count);
            var all = n.Neighbours.Append(n.Self).ToList();
            for (int layer = 0; layer < 2; layer++)
            {
                Assert.Equal(1.0, all.Sum(e => (double)e.MeanAttention![layer]), 5);
                for (int h = 0; h < view.Heads[layer]; h++) Assert.Equal(1.0, all.Sum(e => (double)e.Attention![layer][h]), 5);
                Assert.All(all, e => Assert.Equal(e.Attention![layer].Average(), e.MeanAttention![layer], 6));
            }
            Assert.All(n.Neighbours, e => Assert.Null(e.Weight));
        }
    }

    [Fact]
    public void AskingForAMissingSeedOrANonGraphRunNamesTheOption()
    {
        var seed = Assert.Throws<ConfigException>(() => GraphView.Run(new GraphViewConfig { Run = runs.Run("gcn"), Seed = 5 }));
        Assert.Equal("--seed", seed.Option);
        Assert.Contains("saved: 0, 1", seed.Message);
        var run = Assert.Throws<ConfigException>(() => GraphView.Run(new GraphViewConfig { Run = runs.Run("rnn") }));
        Assert.Equal("--run", run.Option);
    }
}
