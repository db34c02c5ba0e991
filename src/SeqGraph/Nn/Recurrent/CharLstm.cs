using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The character-level language model: <c>embedding</c> (V → E) → <c>lstm</c>, a stack of fused
/// LSTM layers with dropout between them → <c>head</c> (H → V) on every step. Parameter names are
/// PyTorch's (<c>embedding.weight</c>, <c>lstm.weight_ih_l0</c>, …, <c>head.weight</c>,
/// <c>head.bias</c>), except that each LSTM layer has the single bias <c>bias_ih_l{k}</c>
/// (PyTorch's bias_ih + bias_hh). Inputs are time-first [T, B] symbol indices.
/// </summary>
public sealed class CharLstm : Module
{
    /// <summary>The sizes.</summary>
    public CharLstmConfig Config { get; }

    /// <summary>Symbol embeddings [V, E].</summary>
    public Embedding Embedding { get; }

    /// <summary>The LSTM stack.</summary>
    public Recurrent Lstm { get; }

    /// <summary>The output layer [V, H].</summary>
    public Linear Head { get; }

    /// <summary>The generator behind dropout between layers; its state belongs in a checkpoint.</summary>
    public Rng DropoutRng { get; }

    /// <summary>Creates the model; weights are drawn from a generator seeded with <paramref name="seed"/>,
    /// which then drives dropout.</summary>
    public CharLstm(CharLstmConfig config, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Vocabulary < 1 || config.Embed < 1 || config.Hidden < 1 || config.Layers < 1)
            throw new ArgumentOutOfRangeException(nameof(config), "vocabulary, embedding, hidden and layers must be positive");
        Config = config;
        DropoutRng = new Rng(seed);
        Embedding = RegisterModule("embedding", new Embedding(config.Vocabulary, config.Embed, DropoutRng));
        Lstm = RegisterModule("lstm", new Recurrent(CellType.Lstm, config.Embed, config.Hidden, DropoutRng, config.Layers, dropout: config.Dropout));
        Head = RegisterModule("head", new Linear(config.Hidden, config.Vocabulary, DropoutRng));
    }

    /// <summary>Logits [T·B, V] (row t·B + b) for time-first inputs, and the final state.</summary>
    public (Tensor Logits, RecurrentState Final) Forward(int[] inputs, int steps, int batch, RecurrentState? state = null)
    {
        if (inputs.Length != steps * batch) throw new ArgumentException($"{inputs.Length} inputs for T={steps}, B={batch}");
        var x = Embedding.Forward(inputs, steps, batch);
        var r = Lstm.Forward(SequenceInput.FromDense(x), state);
        var h = Ops.Reshape(r.Output, steps * batch, Config.Hidden);
        return (Ops.Linear(h, Head.Weight, Head.Bias), r.Final);
    }

    /// <summary>
    /// Teacher forcing on a batch: logits for every step, mean cross-entropy against
    /// <paramref name="targets"/> (time-first like the inputs) and the arg-max hits.
    /// </summary>
    public CharLstmStep Loss(int[] inputs, int[] targets, int steps, int batch, RecurrentState? state = null)
    {
        if (targets.Length != steps * batch) throw new ArgumentException($"{targets.Length} targets for T={steps}, B={batch}");
        var (logits, final) = Forward(inputs, steps, batch, state);
        var loss = Ops.CrossEntropy(logits, targets);
        return new CharLstmStep(loss, CountCorrect(logits, targets), targets.Length, final);
    }

    /// <summary>Rows of [N, V] logits whose arg-max equals the target.</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> targets)
    {
        int v = logits.Dim(-1), hits = 0;
        for (int r = 0; r < targets.Length; r++)
            if (TensorPrimitives.IndexOfMax(logits.Data.AsSpan(r * v, v)) == targets[r]) hits++;
        return hits;
    }

    /// <summary>Closed-form parameter count: V·E + Σ 4H(in + H + 1) + V(H + 1).</summary>
    public static long ClosedFormParameters(CharLstmConfig c)
    {
        long total = (long)c.Vocabulary * c.Embed + (long)c.Vocabulary * (c.Hidden + 1);
        for (int l = 0; l < c.Layers; l++) total += Recurrent.ClosedFormParameters(CellType.Lstm, l == 0 ? c.Embed : c.Hidden, c.Hidden);
        return total;
    }
}
