using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>Small seeded training runs that must converge, and determinism across thread counts.</summary>
public class SequenceTrainingTests
{
    [Fact]
    public void VanillaRnnLearnsShortPalindromes()
    {
        var r = SequenceTrainer.Train(new SequenceTrainConfig
        {
            Task = "palindrome", Length = 5, Cell = CellType.Rnn, Hidden = 32, Batch = 64,
            Optimizer = "rmsprop", LearningRate = 3e-3f, Steps = 1500, TestSamples = 2000, Seed = 1,
        });
        Assert.True(r.Converged, $"not converged after {r.Steps} steps");
        Assert.True(r.TestAccuracy >= 0.99, $"test accuracy {r.TestAccuracy}");
    }

    [Fact]
    public void LstmLearnsTheRandomCombinationsTask()
    {
        var r = SequenceTrainer.Train(new SequenceTrainConfig
        {
            Task = "random-combinations", Length = 5, Cell = CellType.Lstm, Hidden = 32, Batch = 64,
            Optimizer = "adam", LearningRate = 1e-2f, Steps = 1500, TestSamples = 2000, Seed = 2,
        });
        Assert.True(r.TestAccuracy >= 0.99, $"test accuracy {r.TestAccuracy} after {r.Steps} steps");
    }

    [Fact]
    public void UntrainedModelIsAtChance()
    {
        var r = SequenceTrainer.Train(new SequenceTrainConfig
        {
            Task = "palindrome", Length = 6, Cell = CellType.Gru, Hidden = 16, Batch = 32, Steps = 1, TestSamples = 3000,
        });
        Assert.False(r.Converged);
        Assert.InRange(r.TestAccuracy, 0.05, 0.2);
    }

    [Theory]
    [InlineData(CellType.Lstm)]
    [InlineData(CellType.Gru)]
    public void LossesAreIdenticalForOneAndTwoThreads(CellType cell)
    {
        double[] Run(int threads)
        {
            using (Parallelism.Use(threads))
            {
                var losses = new List<double>();
                SequenceTrainer.Train(new SequenceTrainConfig
                {
                    Task = "palindrome", Length = 12, Cell = cell, Hidden = 96, Batch = 128, Optimizer = "adam",
                    Init = InitScheme.KaimingNormal, Steps = 15, LogEvery = 1, TestSamples = 0, Seed = 3,
                }, m => losses.Add(m.Loss));
                return losses.ToArray();
            }
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(1));
        Assert.True(one[^1] < one[0]);
    }
}
