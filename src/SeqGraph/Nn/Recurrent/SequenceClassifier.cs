using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// Sequence-to-one classifier for the memorization tasks: one-hot or embedded tokens → a
/// recurrent stack → a linear head on the last step (for a bidirectional model, on
/// [h_fwd(T); h_bwd(1)]). Parameters: <c>embedding.weight</c> (if any), <c>rnn.*</c>, <c>head.*</c>.
/// </summary>
public sealed class SequenceClassifier : SequenceModel
{
    /// <summary>The embedding, or null for one-hot input.</summary>
    public Embedding? Embedding { get; }

    /// <summary>The recurrent stack.</summary>
    public Recurrent Rnn { get; }

    /// <summary>The output layer.</summary>
    public Linear Head { get; }

    /// <summary>Input symbols.</summary>
    public int Vocabulary { get; }

    /// <summary>Creates the model; <paramref name="embedDim"/> 0 means one-hot input.</summary>
    public SequenceClassifier(CellType cell, int vocabulary, int classes, int hidden, Rng rng, int embedDim = 0,
        int layers = 1, bool bidirectional = false, float dropout = 0f, RecurrentImpl impl = RecurrentImpl.Fused)
    {
        if (vocabulary <= 0 || classes <= 0 || hidden <= 0 || embedDim < 0) throw new ArgumentOutOfRangeException(nameof(vocabulary), "sizes must be positive");
        Vocabulary = vocabulary;
        if (embedDim > 0) Embedding = RegisterModule("embedding", new Embedding(vocabulary, embedDim, rng));
        Rnn = RegisterModule("rnn", new Recurrent(cell, embedDim > 0 ? embedDim : vocabulary, hidden, rng, layers, bidirectional, dropout, impl));
        Head = RegisterModule("head", new Linear(hidden * Rnn.Directions, classes, rng));
    }

    /// <summary>Logits [B, classes] for batch-first tokens [B, L].</summary>
    public override Tensor Forward(ReadOnlySpan<int> batchFirstTokens, int batch, int length)
    {
        var timeFirst = SequenceInput.TimeFirst(batchFirstTokens, batch, length);
        var input = Embedding is null
            ? SequenceInput.FromTokens(timeFirst, length, batch, Vocabulary)
            : SequenceInput.FromDense(Embedding.Forward(timeFirst, length, batch));
        return Head.Forward(Rnn.ForwardLast(input).Last);
    }

    /// <summary>Closed-form parameter count: recurrent layers + head (+ embedding).</summary>
    public static long ClosedFormParameters(CellType cell, int vocabulary, int classes, int hidden, int embedDim = 0, int layers = 1, bool bidirectional = false)
    {
        int dirs = bidirectional ? 2 : 1;
        long total = embedDim > 0 ? (long)vocabulary * embedDim : 0;
        for (int l = 0; l < layers; l++)
            total += dirs * Recurrent.ClosedFormParameters(cell, l == 0 ? (embedDim > 0 ? embedDim : vocabulary) : hidden * dirs, hidden);
        return total + (long)classes * (hidden * dirs + 1);
    }
}
