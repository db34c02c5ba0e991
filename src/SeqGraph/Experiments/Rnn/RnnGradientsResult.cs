using SeqGraph.Nn.Recurrent;

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

/// <summary>‖∂L/∂h(t)‖ of one model, t = 1..InputLength (mean over the batch of each example's norm).</summary>
public sealed record RnnGradientNorms
{
    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; }

    /// <summary>At initialisation.</summary>
    public double[] Init { get; init; } = Array.Empty<double>();

    /// <summary>After training (null with no training steps).</summary>
    public double[]? Trained { get; init; }

    /// <summary>‖∂L/∂h(1)‖ / ‖∂L/∂h(last)‖ at initialisation: the share of gradient that survives the trip back.</summary>
    public double InitFirstOverLast { get; init; }

    /// <summary>The same after training (null with no training steps).</summary>
    public double? TrainedFirstOverLast { get; init; }

    /// <summary>Batch accuracy of the last training step (null with no training steps).</summary>
    public double? TrainAccuracyLastStep { get; init; }
}
