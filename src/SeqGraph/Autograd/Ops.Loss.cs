using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

public static partial class Ops
{
    /// <summary>Softmax over the last axis (max-shifted, stable for any finite logits).</summary>
    public static Tensor Softmax(Tensor x)
    {
        int c = x.Dim(-1), rows = x.Size / Math.Max(1, c);
        var y = Tensor.Empty(x.Shape);
        for (int r = 0; r < rows; r++) Tensors.Softmax.Row(x.Data.AsSpan(r * c, c), y.Data.AsSpan(r * c, c));
        return Tape.Record(y, g =>
        {
            // dx = y ⊙ (g − Σ g⊙y)
            x.PushGrad(dx =>
            {
                for (int r = 0; r < rows; r++)
                {
                    var yr = y.Data.AsSpan(r * c, c);
                    var gr = g.Data.AsSpan(r * c, c);
                    float dot = TensorPrimitives.Dot(yr, gr);
                    var d = dx.Slice(r * c, c);
                    TensorPrimitives.Subtract(gr, dot, d);
                    TensorPrimitives.Multiply(d, yr, d);
                }
            });
        }, x);
    }

    /// <summary>Log-softmax over the last axis (stable).</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        int c = x.Dim(-1), rows = x.Size / Math.Max(1, c);
        var y = Tensor.Empty(x.Shape);
        for (int r = 0; r < rows; r++) Tensors.Softmax.LogRow(x.Data.AsSpan(r * c, c), y.Data.AsSpan(r * c, c));
        return Tape.Record(y, g =>
        {
            // dx = g − softmax · Σ g
            x.PushGrad(dx =>
            {
                for (int r = 0; r < rows; r++)
                {
                    var gr = g.Data.AsSpan(r * c, c);
                    float sg = TensorPrimitives.Sum(gr);
                    var d = dx.Slice(r * c, c);
                    TensorPrimitives.Exp(y.Data.AsSpan(r * c, c), d);
                    TensorPrimitives.Multiply(d, -sg, d);
                    TensorPrimitives.Add(d, gr, d);
                }
            });
        }, x);
    }

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
