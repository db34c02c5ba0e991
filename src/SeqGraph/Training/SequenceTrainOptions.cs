using SeqGraph.Optim;

namespace SeqGraph.Training;

/// <summary>
/// How <see cref="SequenceTrainer"/> trains a sequence classifier on a memorization task (the
/// defaults are the command line's: RMSprop 1e-3, batch 128, clip 10, up to 10,000 steps, stop when
/// the mean training accuracy over 20 steps reaches 1.0, test on 5,000 fresh examples).
/// </summary>
/// <param name="Batch">Examples per step.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="Momentum">Momentum (RMSprop and SGD).</param>
/// <param name="Clip">Global gradient-norm clip; 0 turns clipping off.</param>
/// <param name="Steps">Maximum training steps.</param>
/// <param name="TargetAccuracy">Stop (converged) when the mean training accuracy over <see cref="Window"/> steps reaches this.</param>
/// <param name="Window">Steps averaged for the stopping rule.</param>
/// <param name="TestSamples">Fresh examples for the test accuracy (0: no test).</param>
/// <param name="LogEvery">Report a step to the progress callback every this many steps (and the first and last).</param>
/// <param name="Seed">Seed of the weights, the training batches and the test examples.</param>
public record SequenceTrainOptions(
    int Batch = 128, OptimizerKind Optimizer = OptimizerKind.Rmsprop, float Lr = 1e-3f,
    float Momentum = 0, float Clip = 10f, int Steps = 10_000,
    double TargetAccuracy = 1.0, int Window = 20, int TestSamples = 5000,
    int LogEvery = 10, ulong Seed = 0)
{
    /// <summary>Throws <see cref="ConfigException"/> naming the first invalid setting.</summary>
    public virtual void Validate()
    {
        ConfigException.Positive("--batch", Batch);
        if (!Enum.IsDefined(Optimizer)) throw new ConfigException("--optimizer", $"--optimizer: unknown optimizer '{Optimizer}' (rmsprop, adam, sgd)");
        ConfigException.Positive("--lr", Lr);
        ConfigException.InRange("--momentum", Momentum, 0, 1);
        ConfigException.NonNegative("--clip", Clip);
        ConfigException.Positive("--steps", Steps);
        if (!(TargetAccuracy > 0 && TargetAccuracy <= 1)) throw new ConfigException("--target-accuracy", $"--target-accuracy must be in (0, 1] (got {TargetAccuracy})");
        ConfigException.Positive("--window", Window);
        ConfigException.NonNegative("--test-samples", TestSamples);
        // the test runs once at the end and is not interrupted by Ctrl-C: bounded so it cannot run for hours
        if (TestSamples > MaxTestSamples) throw new ConfigException("--test-samples", $"--test-samples must be at most {MaxTestSamples:N0} (got {TestSamples:N0})");
        ConfigException.Positive("--log-every", LogEvery);
    }

    /// <summary>Most examples the test accuracy may be measured on.</summary>
    public const int MaxTestSamples = 1_000_000;
}
