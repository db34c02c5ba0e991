using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>What one teacher-forced pass over a batch of windows gives.</summary>
/// <param name="Loss">Mean cross-entropy over all T·B positions (a scalar on the tape).</param>
/// <param name="Correct">Positions whose arg-max logit is the target.</param>
/// <param name="Count">Positions, T·B.</param>
/// <param name="Final">The detached final LSTM state (to carry into the next chunk of a stream).</param>
public sealed record CharLstmStep(Tensor Loss, int Correct, int Count, RecurrentState Final)
{
    /// <summary>Correct / Count.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}
