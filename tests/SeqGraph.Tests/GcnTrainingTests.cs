using SeqGraph.Data;
using SeqGraph.Training;
using SeqGraph.Autograd;

namespace SeqGraph.Tests;

/// <summary>Short seeded training runs on the real Cora data.</summary>
public class GcnTrainingTests
{
    [Fact]
    public void GcnOnCoraReachesARealTestAccuracy()
    {
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var result = NodeTrainer.Train(data, NodeTrainingOptions.For(GraphModel.Gcn), seed: 0);
        Assert.Equal(200, result.Epochs.Count);
        Assert.True(result.Best.TestAccuracy >= 0.78f, $"test accuracy {result.Best.TestAccuracy} at epoch {result.BestEpoch}");
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss / 2);
        Assert.Equal(result.Epochs.Max(e => e.ValAccuracy), result.Best.ValAccuracy);
        Assert.Equal(new[] { 2708, 16 }, result.Embedding.Shape);
        Console.WriteLine($"gcn seed 0: test {result.Best.TestAccuracy} val {result.Best.ValAccuracy} epoch {result.BestEpoch} {result.Seconds:F2}s");
    }
}

/// <summary>A short GAT run and the embedding projection.</summary>
public class GatTrainingTests
{
    [Fact]
    public void GatOnCoraLearnsWithinFortyEpochs()
    {
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var options = NodeTrainingOptions.For(GraphModel.Gat) with { Epochs = 40 };
        Assert.Equal(0.005f, options.Lr);
        Assert.Equal(100, options.Patience);
        var result = NodeTrainer.Train(data, options, seed: 1);
        Assert.Equal(40, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss * 0.8, $"loss {result.Epochs[0].TrainLoss} → {result.Epochs[^1].TrainLoss}");
        Assert.True(result.Best.ValAccuracy > 0.6f, $"validation accuracy {result.Best.ValAccuracy}");
        Assert.Equal(new[] { 2708, 64 }, result.Embedding.Shape);   // 8 heads × 8, concatenated
    }

    [Fact]
    public void PcaFindsTheDirectionOfLargestVariance()
    {
        var rng = new SeqGraph.Random.Rng(2);
        var x = SeqGraph.Tensors.Tensor.Zeros(200, 3);
        for (int i = 0; i < 200; i++)
        {
            float t = rng.NextFloat() * 10 - 5, s = rng.NextFloat() - 0.5f;
            (x.Data[3 * i], x.Data[3 * i + 1], x.Data[3 * i + 2]) = (t + 3, 2 * t, s);          // a line, plus a thin second direction
        }
        var p = SeqGraph.Nn.Graph.Projection.Pca2(x);
        double var1 = 0, var2 = 0;
        for (int i = 0; i < 200; i++) { var1 += p.Data[2 * i] * p.Data[2 * i]; var2 += p.Data[2 * i + 1] * p.Data[2 * i + 1]; }
        Assert.True(var1 > 100 * var2, $"{var1} vs {var2}");
        // The first coordinate is the centred position along the line (1, 2, 0)/√5: ±√5·(t − mean t).
        double meanT = Enumerable.Range(0, 200).Average(i => x.Data[3 * i + 1] / 2.0);
        Assert.Equal(Math.Sqrt(5) * Math.Abs(x.Data[1] / 2.0 - meanT), Math.Abs(p.Data[0]), 2);
    }
}
