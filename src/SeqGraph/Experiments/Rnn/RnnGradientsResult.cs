namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of <c>rnn gradients</c> (summary.json).</summary>
public sealed record RnnGradientsResult
{
    /// <summary>The task.</summary>
    public string Task { get; init; } = "";

    /// <summary>The task's length T.</summary>
    public int Length { get; init; }

    /// <summary>Input steps per example (the t of ∂L/∂h(t) runs 1..this).</summary>
    public int InputLength { get; init; }

    /// <summary>Training steps between the two measurements.</summary>
    public int AfterSteps { get; init; }

    /// <summary>One entry per model.</summary>
    public IReadOnlyList<RnnGradientNorms> Models { get; init; } = Array.Empty<RnnGradientNorms>();

    /// <summary>True when the run was stopped before every model was measured.</summary>
    public bool Interrupted { get; init; }
}
