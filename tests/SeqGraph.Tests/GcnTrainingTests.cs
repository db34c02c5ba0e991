using SeqGraph.Data;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>Short seeded training runs on the real Cora data.</summary>
public class GcnTrainingTests
{
    [Fact]
    public void GcnOnCoraReachesARealTestAccuracy()
    {
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var result = NodeTrainer.Train(data, NodeTrainingOptions.For("gcn"), seed: 0);
        Assert.Equal(200, result.Epochs.Count);
        Assert.True(result.Best.TestAccuracy >= 0.78f, $"test accuracy {result.Best.TestAccuracy} at epoch {result.BestEpoch}");
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss / 2);
        Assert.Equal(result.Epochs.Max(e => e.ValAccuracy), result.Best.ValAccuracy);
        Assert.Equal(new[] { 2708, 16 }, result.Embedding.Shape);
        Console.WriteLine($"gcn seed 0: test {result.Best.TestAccuracy} val {result.Best.ValAccuracy} epoch {result.BestEpoch} {result.Seconds:F2}s");
    }
}
