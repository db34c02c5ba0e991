using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>
/// A sequence classifier: batch-first integer tokens [B, L] in, logits [B, classes] out. The
/// memorization trainer (<c>SequenceTrainer</c>) trains any subclass, the built-in recurrent
/// models and a user's own cell alike.
/// </summary>
public abstract class SequenceModel : Module
{
    /// <summary>Logits [<paramref name="batch"/>, classes] for tokens [batch, length] (row-major, batch-first).</summary>
    public abstract Tensor Forward(ReadOnlySpan<int> batchFirstTokens, int batch, int length);
}
