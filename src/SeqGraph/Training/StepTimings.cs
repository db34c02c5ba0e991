using System.Diagnostics;

namespace SeqGraph.Training;

/// <summary>Seconds spent in each phase of training steps, summed over the steps that were given this object.</summary>
public sealed class StepTimings
{
    /// <summary>Zeroing gradients and drawing the batch.</summary>
    public double Data { get; private set; }

    /// <summary>The forward pass and the loss.</summary>
    public double Forward { get; private set; }

    /// <summary>The backward pass.</summary>
    public double Backward { get; private set; }

    /// <summary>Clipping, the optimizer and the schedule.</summary>
    public double Optimizer { get; private set; }

    /// <summary>Steps timed.</summary>
    public int Steps { get; private set; }

    /// <summary>Adds one step from five <see cref="Stopwatch.GetTimestamp"/> readings at the phase boundaries.</summary>
    public void Add(long start, long afterData, long afterForward, long afterBackward, long end)
    {
        double f = Stopwatch.Frequency;
        Data += (afterData - start) / f;
        Forward += (afterForward - afterData) / f;
        Backward += (afterBackward - afterForward) / f;
        Optimizer += (end - afterBackward) / f;
        Steps++;
    }
}
