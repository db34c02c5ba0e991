using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>‖∂L/∂h(t)‖ of one model, t = 1..InputLength (mean over the batch of each example's norm).</summary>
/// <param name="Model">The model.</param>
/// <param name="Init">At initialisation.</param>
/// <param name="Trained">After training (null with no training steps).</param>
/// <param name="InitFirstOverLast">‖∂L/∂h(1)‖ / ‖∂L/∂h(last)‖ at initialisation: the share of gradient that survives the trip back.</param>
/// <param name="TrainedFirstOverLast">The same after training (null with no training steps).</param>
/// <param name="TrainAccuracyLastStep">Batch accuracy of the last training step (null with no training steps).</param>
/// <param name="Diverged">Where the training between the two measurements diverged (then there is no trained measurement), or null.</param>
public sealed record RnnGradientNorms(
    RecurrentModel Model = default, double[] Init = null!, double[]? Trained = null,
    double InitFirstOverLast = 0, double? TrainedFirstOverLast = null, double? TrainAccuracyLastStep = null, Training.Divergence? Diverged = null);
