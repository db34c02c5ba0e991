using SeqGraph.Optim;

namespace SeqGraph.Training;

/// <summary>
/// How <see cref="SequenceTrainer"/> trains a sequence classifier on a memorization task (the
/// defaults are the command line's: RMSprop 1e-3, batch 128, clip 10, up to 10,000 steps, stop when
/// the mean training accuracy over 20 steps reaches 1.0, test on 5,000 fresh examples).
/// </summary>
public record SequenceTrainOptions
{
    /// <summary>Examples per step.</summary>
    public int Batch { get; init; } = 128;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Rmsprop;

    /// <summary>Learning rate.</summary>
    public float Lr { get; init; } = 1e-3f;

    /// <summary>Momentum (RMSprop and SGD).</summary>
    public float Momentum { get; init; }

    /// <summary>Global gradient-norm clip; 0 turns clipping off.</summary>
    public float Clip { get; init; } = 10f;

    /// <summary>Maximum training steps.</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Stop (converged) when the mean training accuracy over <see cref="Window"/> steps reaches this.</summary>
    public double TargetAccuracy { get; init; } = 1.0;

    /// <summary>Steps averaged for the stopping rule.</summary>
    public int Window { get; init; } = 20;

    /// <summary>Fresh examples for the test accuracy (0: no test).</summary>
    public int TestSamples { get; init; } = 5000;

    /// <summary>Report a step to the progress callback every this many steps (and the first and last).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Seed of the weights, the training batches and the test examples.</summary>
    public ulong Seed { get; init; }

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
        ConfigException.Positive("--log-every", LogEvery);
    }
}
