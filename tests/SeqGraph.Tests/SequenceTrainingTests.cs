using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>Small seeded training runs that must converge, and determinism across thread counts.</summary>
public class SequenceTrainingTests
{
    private static SequenceTrainResult Train(RnnTrainConfig c, IProgress<StepMetrics>? progress = null)
    {
        var task = c.CreateTask();
        return new SequenceTrainer(c.CreateModel(task), task, c).Train(progress);
    }

    [Fact]
    public void VanillaRnnLearnsShortPalindromes()
    {
        var r = Train(new RnnTrainConfig
        {
            Task = "palindrome", Length = 5, Model = RecurrentModel.Rnn, Hidden = 32, Batch = 64,
            Optimizer = OptimizerKind.Rmsprop, Lr = 3e-3f, Steps = 1500, TestSamples = 2000, Seed = 1,
        });
        Assert.True(r.Converged, $"not converged after {r.Steps} steps");
        Assert.True(r.TestAccuracy >= 0.99, $"test accuracy {r.TestAccuracy}");
    }

    [Fact]
    public void LstmLearnsTheRandomCombinationsTask()
    {
        var r = Train(new RnnTrainConfig
        {
            Task = "random-combinations", Length = 5, Model = RecurrentModel.Lstm, Hidden = 32, Batch = 64,
            Optimizer = OptimizerKind.Adam, Lr = 1e-2f, Steps = 1500, TestSamples = 2000, Seed = 2,
        });
        Assert.True(r.TestAccuracy >= 0.99, $"test accuracy {r.TestAccuracy} after {r.Steps} steps");
    }

    [Fact]
    public void UntrainedModelIsAtChance()
    {
        var r = Train(new RnnTrainConfig
        {
            Task = "palindrome", Length = 6, Model = RecurrentModel.Gru, Hidden = 16, Batch = 32, Steps = 1, TestSamples = 3000,
        });
        Assert.False(r.Converged);
        Assert.InRange(r.TestAccuracy, 0.05, 0.2);
    }

    [Fact]
    public void TheExperimentRunsTheTrainerAndStopsOnCancellation()
    {
        var c = new RnnTrainConfig { Task = "palindrome", Length = 5, Hidden = 16, Batch = 32, Steps = 500, TestSamples = 100, LogEvery = 1, Seed = 4 };
        var direct = Train(c);
        var viaRun = RnnTraining.Run(c);
        Assert.Equal(direct.Steps, viaRun.Steps);
        Assert.Equal(direct.TestAccuracy, viaRun.TestAccuracy);

        using var stop = new CancellationTokenSource();
        var seen = new List<int>();
        var r = RnnTraining.Run(c with { Steps = 10_000, TargetAccuracy = 1.0, Window = 10_000 }, null,
            SeqGraph.Experiments.Reporter.Create<StepMetrics>(m => { seen.Add(m.Step); if (m.Step == 7) stop.Cancel(); }), stop.Token);
        Assert.True(r.Interrupted);
        Assert.Equal(7, r.Steps);
        Assert.Equal(Enumerable.Range(1, 7), seen);
        Assert.True(r.TestAccuracy >= 0);
    }

    [Theory]
    [InlineData(RecurrentModel.Lstm)]
    [InlineData(RecurrentModel.Gru)]
    public void LossesAreIdenticalForOneAndTwoThreads(RecurrentModel model)
    {
        double[] Run(int threads)
        {
            var losses = new List<double>();
            RnnTraining.Run(new RnnTrainConfig
            {
                Task = "palindrome", Length = 12, Model = model, Hidden = 96, Batch = 128, Optimizer = OptimizerKind.Adam,
                Init = InitScheme.KaimingNormal, Steps = 15, LogEvery = 1, TestSamples = 0, Seed = 3, Threads = threads,
            }, null, SeqGraph.Experiments.Reporter.Create<StepMetrics>(m => { losses.Add(m.Loss); Assert.Equal(threads, Parallelism.Threads); }));
            return losses.ToArray();
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(1));
        Assert.True(one[^1] < one[0]);
    }
}
