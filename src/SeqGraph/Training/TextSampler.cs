using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;

namespace SeqGraph.Training;

/// <summary>
/// Generates text from a <see cref="CharLstmInference"/>: the prompt is fed once, character by
/// character, building the hidden and cell state; then each generated character is fed back,
/// carrying that state, for any length (the prefix is never recomputed). Nothing is allocated per
/// character except the output itself.
/// </summary>
public sealed class TextSampler
{
    private readonly CharLstmInference _net;
    private readonly float[] _weights;
    private readonly int[] _order;
    private readonly float[] _kept;
    private int _pending = -1;   // the last symbol chosen (or the prompt's last), not yet fed to the network
    private long _generated;

    /// <summary>Samples from <paramref name="net"/>.</summary>
    public TextSampler(CharLstmInference net)
    {
        _net = net ?? throw new ArgumentNullException(nameof(net));
        _weights = new float[net.Vocabulary];
        _order = new int[net.Vocabulary];
        _kept = new float[net.Vocabulary];
    }

    /// <summary>
    /// Resets the state, feeds <paramref name="prompt"/> (at least one symbol) and writes
    /// <paramref name="output"/>.Length further symbols. Returns nothing; the prompt is not copied
    /// into the output. Cancellation is checked every 1,024 characters
    /// (<see cref="OperationCanceledException"/>). The same as <see cref="Start"/> followed by
    /// <see cref="Continue"/> calls that together fill <paramref name="output"/>.
    /// </summary>
    public void Generate(ReadOnlySpan<int> prompt, Span<int> output, Decoding decoding, Rng rng, CancellationToken cancel = default)
    {
        Start(prompt);
        Continue(output, decoding, rng, cancel);
    }

    /// <summary>
    /// Resets the state and feeds <paramref name="prompt"/> (at least one symbol; its last symbol is
    /// fed by the first <see cref="Continue"/>, so a prompt never costs a step that is not used).
    /// </summary>
    public void Start(ReadOnlySpan<int> prompt)
    {
        if (prompt.IsEmpty) throw new ArgumentException("the prompt needs at least one character", nameof(prompt));
        _net.Reset();
        for (int i = 0; i < prompt.Length - 1; i++) _net.Step(prompt[i]);
        _pending = prompt[^1];
        _generated = 0;
    }

    /// <summary>
    /// Writes <paramref name="output"/>.Length further symbols after the prompt and the symbols
    /// generated since <see cref="Start"/>, carrying the state: a sample drawn in pieces equals the
    /// sample drawn at once (same steps, same random draws). Cancellation is checked every 1,024
    /// characters since <see cref="Start"/>. Logits that are not finite throw
    /// <see cref="NonFiniteOutputException"/> (the model's weights are too large or damaged).
    /// </summary>
    public void Continue(Span<int> output, Decoding decoding, Rng rng, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(decoding.Temperature >= 0) || float.IsInfinity(decoding.Temperature))
            throw new ArgumentOutOfRangeException(nameof(decoding), $"temperature must be finite and ≥ 0, got {decoding.Temperature}");
        if (decoding.TopK < 0) throw new ArgumentOutOfRangeException(nameof(decoding), $"top-k must be ≥ 0, got {decoding.TopK}");
        if (_pending < 0) throw new InvalidOperationException("Start must be called before Continue");
        for (int i = 0; i < output.Length; i++)
        {
            if ((_generated++ & 1023) == 1023) cancel.ThrowIfCancellationRequested();
            var logits = _net.Step(_pending);
            // one vectorised pass over the row: a NaN or ∞ would otherwise pick the first symbol forever
            if (!Tensors.Finite.All(logits)) throw new NonFiniteOutputException($"character {_generated} of the sample");
            int next = Choose(logits, decoding, rng);
            output[i] = next;
            _pending = next;
        }
    }

    /// <summary>Picks one symbol from <paramref name="logits"/> under <paramref name="decoding"/>.</summary>
    public int Choose(ReadOnlySpan<float> logits, Decoding decoding, Rng rng)
    {
        // a temperature so small that 1/T overflows (1e-45) is T → 0: the most likely symbol, as at 0
        if (decoding.Temperature == 0 || float.IsInfinity(1f / decoding.Temperature)) return TensorPrimitives.IndexOfMax(logits);
        int v = logits.Length;
        var w = _weights.AsSpan(0, v);
        float max = TensorPrimitives.Max(logits);
        float inv = 1f / decoding.Temperature;
        for (int i = 0; i < v; i++) w[i] = (logits[i] - max) * inv;   // max-shifted: the largest weight is exp(0) = 1
        TensorPrimitives.Exp(w, w);
        int k = decoding.TopK;
        if (k > 0 && k < v)
        {
            // keep exactly the k largest logits (ties go to the lower index): insertion into a sorted top-k list
            var top = _order.AsSpan(0, k);
            int count = 0;
            for (int i = 0; i < v; i++)
            {
                float x = logits[i];
                if (count == k && !(x > logits[top[k - 1]])) continue;
                int pos = count < k ? count++ : k - 1;
                while (pos > 0 && logits[top[pos - 1]] < x) { top[pos] = top[pos - 1]; pos--; }
                top[pos] = i;
            }
            var kept = _kept.AsSpan(0, v);
            kept.Clear();
            foreach (int i in top) kept[i] = w[i];
            return rng.Categorical(kept);
        }
        return rng.Categorical(w);
    }
}
