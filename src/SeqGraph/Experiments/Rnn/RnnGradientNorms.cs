using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

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
