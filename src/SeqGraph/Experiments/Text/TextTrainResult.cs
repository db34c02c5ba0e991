namespace SeqGraph.Experiments.Text;

/// <summary>The figures of a <c>text train</c> run (summary.json); figures that were not measured (no validation yet) are null.</summary>
public sealed record TextTrainResult
{
    /// <summary>Steps trained in all, a resumed run's earlier steps included.</summary>
    public int Steps { get; init; }
    /// <summary>Steps of this process.</summary>
    public int StepsThisRun { get; init; }
    /// <summary>Training seconds in all.</summary>
    public double Seconds { get; init; }
    /// <summary>Training characters per second of this process (training steps only).</summary>
    public double CharsPerSecond { get; init; }
    /// <summary>Mean training loss (nats) over the last <see cref="TrainWindow"/> steps.</summary>
    public double? TrainLoss { get; init; }
    /// <summary>Mean training accuracy over them.</summary>
    public double? TrainAccuracy { get; init; }
    /// <summary>Steps averaged for the training figures.</summary>
    public int TrainWindow { get; init; }
    /// <summary>Validation loss (nats per character) of the last validation.</summary>
    public double? ValLoss { get; init; }
    /// <summary>Validation bits per character.</summary>
    public double? ValBpc { get; init; }
    /// <summary>Validation accuracy.</summary>
    public double? ValAccuracy { get; init; }
    /// <summary>Characters the validation scored.</summary>
    public long ValCharacters { get; init; }
    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }
    /// <summary>True when the run was stopped (Ctrl-C) before its budget; a checkpoint was saved.</summary>
    public bool Interrupted { get; init; }
}
