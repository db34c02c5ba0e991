using SeqGraph.Autograd;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Training;

/// <summary>
/// Measures how the gradient of the loss reaches earlier hidden states: ‖∂L/∂h(t)‖ for every step t
/// (the mean over the batch of each example's Euclidean norm), the quantity behind the
/// vanishing-gradient picture. Uses the fused layers, which can record ∂L/∂h(t) during BPTT
/// (first layer, forward direction).
/// </summary>
public static class GradientProbe
{
    /// <summary>‖∂L/∂h(t)‖ for t = 1..L on one batch (batch-first tokens [B, L]); parameters' gradients are cleared after.</summary>
    public static double[] HiddenGradientNorms(SequenceClassifier model, int[] inputs, int[] labels, int batch, int length)
    {
        var rnn = model.Rnn;
        if (rnn.Impl != RecurrentImpl.Fused) throw new InvalidOperationException("gradient probing needs the fused implementation");
        int h = rnn.HiddenSize;
        var capture = new float[length * batch * h];
        rnn.CaptureHiddenGradients = capture;
        try
        {
            model.Train();
            model.ZeroGrad();
            var loss = Ops.CrossEntropy(model.Forward(inputs, batch, length), labels);
            loss.Backward();
        }
        finally
        {
            rnn.CaptureHiddenGradients = null;
            model.ZeroGrad();
        }
        var norms = new double[length];
        for (int t = 0; t < length; t++)
        {
            double sum = 0;
            for (int b = 0; b < batch; b++)
            {
                var row = capture.AsSpan((t * batch + b) * h, h);
                double sq = 0;
                foreach (float v in row) sq += (double)v * v;
                sum += Math.Sqrt(sq);
            }
            norms[t] = sum / batch;
        }
        return norms;
    }
}
