using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

public static partial class Ops
{
    private delegate void RowFunction(ReadOnlySpan<float> src, Span<float> dst);
    private delegate void RowGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    /// <summary>
    /// y = f(x) applied to each row over the last axis; the backward pass likewise computes each
    /// row's dx from that row's y and g.
    /// </summary>
    private static Tensor LastAxisRows(Tensor x, RowFunction f, RowGradient gradient)
    {
        int c = x.Dim(-1), rows = x.Size / Math.Max(1, c);
        var y = Tensor.Empty(x.Shape);
        for (int r = 0; r < rows; r++) f(x.Data.AsSpan(r * c, c), y.Data.AsSpan(r * c, c));
        return Tape.Record(y, g => x.PushGrad(dx =>
        {
            for (int r = 0; r < rows; r++)
                gradient(y.Data.AsSpan(r * c, c), g.Data.AsSpan(r * c, c), dx.Slice(r * c, c));
        }), x);
    }

    /// <summary>Softmax over the last axis (max-shifted, stable for any finite logits).</summary>
    public static Tensor Softmax(Tensor x) => LastAxisRows(x, static (src, dst) => Tensors.Softmax.Row(src, dst), static (y, g, dx) =>
    {
        // dx = y ⊙ (g − Σ g⊙y)
        float dot = TensorPrimitives.Dot(y, g);
        TensorPrimitives.Subtract(g, dot, dx);
        TensorPrimitives.Multiply(dx, y, dx);
    });

    /// <summary>Log-softmax over the last axis (stable).</summary>
    public static Tensor LogSoftmax(Tensor x) => LastAxisRows(x, static (src, dst) => Tensors.Softmax.LogRow(src, dst), static (y, g, dx) =>
    {
        // dx = g − softmax · Σ g
        float sg = TensorPrimitives.Sum(g);
        TensorPrimitives.Exp(y, dx);
        TensorPrimitives.Multiply(dx, -sg, dx);
        TensorPrimitives.Add(dx, g, dx);
    });

    /// <summary>
    /// Mean cross-entropy of logits [N, C] (or [..., C]) against integer targets, fused with a
    /// stable log-softmax. Rows whose target equals <paramref name="ignoreIndex"/> do not count.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, int ignoreIndex = -100)
    {
        int c = logits.Dim(-1), rows = logits.Size / Math.Max(1, c);
        if (targets.Length != rows) throw new ArgumentException($"cross-entropy: {targets.Length} targets for {rows} rows");
        var probs = new float[logits.Size];
        var tg = targets.ToArray();
        double total = 0;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            int t = tg[r];
            var p = probs.AsSpan(r * c, c);
            double lse = Tensors.Softmax.Row(logits.Data.AsSpan(r * c, c), p);
            if (t == ignoreIndex) continue;
            if ((uint)t >= (uint)c) throw new ArgumentOutOfRangeException(nameof(targets), $"target {t} outside 0..{c - 1}");
            total += lse - logits.Data[r * c + t];
            count++;
        }
        var y = Tensor.Scalar(count == 0 ? 0f : (float)(total / count));
        return Tape.Record(y, g =>
        {
            if (count == 0) return;
            // dx = (softmax − onehot) · g / count, zero on ignored rows
            float s = g.Data[0] / count;
            var dx = probs;
            for (int r = 0; r < rows; r++)
            {
                var d = dx.AsSpan(r * c, c);
                if (tg[r] == ignoreIndex) { d.Clear(); continue; }
                d[tg[r]] -= 1f;
                TensorPrimitives.Multiply(d, s, d);
            }
            logits.AccumulateGrad(dx);
        }, logits);
    }

    /// <summary>
    /// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p)
    /// when <paramref name="training"/>; the identity otherwise.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Random.Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), "dropout probability must be in [0, 1)");
        if (!training || p == 0) return x;
        var mask = new float[x.Size];
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() < p ? 0f : scale;
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Data, mask, y.Data);
        return Tape.Record(y, g =>
        {
            x.PushGrad(dx => TensorPrimitives.Multiply(g.Data, mask, dx));
        }, x);
    }
}
