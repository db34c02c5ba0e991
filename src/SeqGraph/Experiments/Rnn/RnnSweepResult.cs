namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of an <c>rnn sweep</c> (summary.json): one entry per model and length, and every run.</summary>
public sealed record RnnSweepResult
{
    /// <summary>The task.</summary>
    public string Task { get; init; } = "";

    /// <summary>Runs finished.</summary>
    public int Runs { get; init; }

    /// <summary>Per model and length: the figures over its seeds.</summary>
    public IReadOnlyList<RnnSweepPoint> Results { get; init; } = Array.Empty<RnnSweepPoint>();

    /// <summary>Every finished run, in run order.</summary>
    public IReadOnlyList<RnnTrainResult> Trials { get; init; } = Array.Empty<RnnTrainResult>();

    /// <summary>True when the sweep was stopped before its last run.</summary>
    public bool Interrupted { get; init; }
}
