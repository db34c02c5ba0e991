using SeqGraph.Nn.Recurrent;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of an <c>rnn train</c> run (summary.json).</summary>
public sealed record RnnTrainResult
{
    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; }

    /// <summary>The task.</summary>
    public string Task { get; init; } = "";

    /// <summary>The sequence length T.</summary>
    public int Length { get; init; }

    /// <summary>The seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fused or reference.</summary>
    public RecurrentImpl Impl { get; init; }

    /// <summary>Steps trained.</summary>
    public int Steps { get; init; }

    /// <summary>True when the stopping rule was met.</summary>
    public bool Converged { get; init; }

    /// <summary>The step where the window that met the target began (null when not converged).</summary>
    public int? StepsToConverge { get; init; }

    /// <summary>Mean training accuracy over the last window.</summary>
    public double TrainAccuracy { get; init; }

    /// <summary>Accuracy on the fresh test examples (NaN without test samples).</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Mean cross-entropy on them.</summary>
    public double TestLoss { get; init; }

    /// <summary>Training seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Training steps per second.</summary>
    public double StepsPerSecond { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>True when the run was stopped (Ctrl-C) before its end.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The result of a finished training of <paramref name="c"/>.</summary>
    public static RnnTrainResult From(RnnTrainConfig c, SequenceTrainResult r) => new()
    {
        Model = c.Model, Task = c.Task, Length = c.Length, Seed = c.Seed, Impl = c.Impl,
        Steps = r.Steps, Converged = r.Converged, StepsToConverge = r.StepsToConverge,
        TrainAccuracy = r.TrainAccuracy, TestAccuracy = r.TestAccuracy, TestLoss = r.TestLoss,
        Seconds = Math.Round(r.Seconds, 3), StepsPerSecond = Math.Round(r.Steps / Math.Max(r.Seconds, 1e-9), 2),
        Parameters = r.Parameters, Interrupted = r.Interrupted,
    };
}
