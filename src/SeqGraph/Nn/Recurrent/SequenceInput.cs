using SeqGraph.Autograd;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The input of a recurrent layer, <b>time-first</b>: either a dense tensor [T, B, D] or integer
/// tokens [T, B] standing for one-hot vectors of size D (the fused layers then gather columns of
/// W_ih instead of multiplying by a one-hot matrix). Use <see cref="FromBatchFirst"/> for
/// batch-first [B, T] tokens as the tasks produce them.
/// </summary>
public sealed class SequenceInput
{
    /// <summary>Steps.</summary>
    public int T { get; }

    /// <summary>Batch size.</summary>
    public int B { get; }

    /// <summary>Features per step (the vocabulary size for tokens).</summary>
    public int D { get; }

    /// <summary>The dense input [T, B, D], or null for tokens.</summary>
    public Tensor? Dense { get; }

    /// <summary>The tokens [T·B] time-first, or null for a dense input.</summary>
    public int[]? Tokens { get; }

    private SequenceInput(int t, int b, int d, Tensor? dense, int[]? tokens)
    {
        if (t <= 0 || b <= 0 || d <= 0) throw new ArgumentException($"sequence input needs positive sizes, got T={t}, B={b}, D={d}");
        (T, B, D, Dense, Tokens) = (t, b, d, dense, tokens);
    }

    /// <summary>A dense time-first input [T, B, D].</summary>
    public static SequenceInput FromDense(Tensor x)
    {
        if (x.Rank != 3) throw new ArgumentException($"recurrent input must be [T, B, D], got {x.ShapeString}");
        return new SequenceInput(x.Shape[0], x.Shape[1], x.Shape[2], x, null);
    }

    /// <summary>Time-first tokens [T·B] in 0..vocab−1 (one-hot input).</summary>
    public static SequenceInput FromTokens(int[] tokens, int t, int b, int vocab)
    {
        if (tokens.Length != t * b) throw new ArgumentException($"{tokens.Length} tokens for T={t}, B={b}");
        foreach (int k in tokens)
            if ((uint)k >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token {k} outside 0..{vocab - 1}");
        return new SequenceInput(t, b, vocab, null, tokens);
    }

    /// <summary>Batch-first tokens [B, T] (row-major) as tasks produce them, transposed to time-first.</summary>
    public static SequenceInput FromBatchFirst(ReadOnlySpan<int> tokens, int b, int t, int vocab) =>
        FromTokens(TimeFirst(tokens, b, t), t, b, vocab);

    /// <summary>Transposes [B, T] integer data to [T, B].</summary>
    public static int[] TimeFirst(ReadOnlySpan<int> batchFirst, int b, int t)
    {
        if (batchFirst.Length != b * t) throw new ArgumentException($"{batchFirst.Length} values for B={b}, T={t}");
        var r = new int[b * t];
        for (int i = 0; i < b; i++)
            for (int s = 0; s < t; s++) r[s * b + i] = batchFirst[i * t + s];
        return r;
    }

    /// <summary>The input as a dense [T, B, D] tensor (tokens become one-hot vectors).</summary>
    public Tensor ToDense()
    {
        if (Dense is not null) return Dense;
        var x = Tensor.Zeros(T, B, D);
        for (int i = 0; i < Tokens!.Length; i++) x.Data[i * D + Tokens[i]] = 1f;
        return x;
    }

    /// <summary>Step t as a [B, D] tensor (differentiable for a dense input).</summary>
    internal Tensor StepDense(Tensor dense, int t) => Ops.Select(dense, 0, t);
}
