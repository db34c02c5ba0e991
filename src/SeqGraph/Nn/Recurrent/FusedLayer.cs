using SeqGraph.Autograd;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// One direction of one fused recurrent layer as a single tape op: the input projection of all
/// steps in one GEMM (or a column gather for one-hot tokens), the model's time loop
/// (<see cref="Recurrence"/>), and on the way back the weight gradients with one GEMM each over
/// all steps. Gradients reach the input, the weights and the initial state; the final state it
/// returns is detached (carry it across batches, do not differentiate through it).
/// </summary>
internal static class FusedLayer
{
    public readonly record struct Result(Tensor Output, Tensor FinalH, Tensor? FinalC);

    /// <summary>
    /// Runs the layer. With <paramref name="lastOnly"/> the output is only the hidden state after the
    /// last processed step, [B, H] (what a sequence-to-one head reads): the [T, B, H] output and its
    /// gradient are then never materialised — the head's gradient enters the time loop as ∂h(T).
    /// </summary>
    public static Result Run(Recurrence rec, Tensor wIh, Tensor wRec, Tensor bias, SequenceInput input,
        Tensor? h0, Tensor? c0, bool reverse, Func<float[]?>? captureHiddenGrads = null, bool lastOnly = false)
    {
        int T = input.T, B = input.B, D = input.D, GH = wIh.Shape[0], H = wRec.Shape[1];
        if (wIh.Shape[1] != D) throw new ArgumentException($"input has {D} features, layer expects {wIh.Shape[1]}");
        var cache = new FusedCache(T, B, H, rec.Gates, rec.HasCell, rec.HasAux);
        int Time(int s) => reverse ? T - 1 - s : s;

        // ---- input projection: pre(s) = x(t(s))·W_ihᵀ + b, in processing order ----
        float[]? xp = null;          // dense input in processing order (kept for ∂W_ih)
        bool xpPooled = false;
        if (input.Dense is { } x)
        {
            if (!reverse) xp = x.Data;
            else
            {
                xp = BufferPool.Rent(T * B * D);
                xpPooled = true;
                for (int s = 0; s < T; s++) Array.Copy(x.Data, Time(s) * B * D, xp, s * B * D, B * D);
            }
            Gemm.Sgemm(false, true, T * B, GH, D, 1f, xp, D, wIh.Data, D, 0f, cache.Gates, GH);
            for (int r = 0; r < T * B; r++)
            {
                var row = cache.Gates.AsSpan(r * GH, GH);
                TensorPrimitives.Add(row, bias.Data, row);
            }
        }
        else
        {
            cache.Table = InputTable(wIh.Data, bias.Data, GH, D);
            cache.Tokens = input.Tokens!;
            cache.Reverse = reverse;
        }

        // ---- initial state and the time loop ----
        cache.ZeroInitialState = h0 is null && c0 is null;
        CopyState(h0, cache.Hs, B * H, "h0");
        if (rec.HasCell) CopyState(c0, cache.Cs!, B * H, "c0");
        try { rec.Forward(cache, wRec.Data); }
        finally
        {
            BufferPool.Return(cache.Table);
            cache.Table = null;
        }

        Tensor y;
        if (lastOnly) y = Tensor.FromArray(cache.Hs.AsSpan(T * B * H, B * H).ToArray(), B, H);
        else
        {
            y = Tensor.Empty(T, B, H);   // every step is copied in below
            for (int s = 0; s < T; s++) Array.Copy(cache.Hs, (s + 1) * B * H, y.Data, Time(s) * B * H, B * H);
        }
        var hT = Tensor.FromArray(cache.Hs.AsSpan(T * B * H, B * H).ToArray(), B, H);
        var cT = rec.HasCell ? Tensor.FromArray(cache.Cs!.AsSpan(T * B * H, B * H).ToArray(), B, H) : null;

        var inputs = new List<Tensor> { wIh, wRec, bias };
        if (input.Dense is not null) inputs.Add(input.Dense);
        if (h0 is not null) inputs.Add(h0);
        if (c0 is not null) inputs.Add(c0);
        bool record = Tape.Enabled && inputs.Any(t => t.Tracked);
        if (!record)
        {
            cache.Dispose();
            if (xpPooled) BufferPool.Return(xp);
            return new Result(y, hT, cT);
        }

        Tape.Record(y, g =>
        {
            try
            {
                Backward(rec, cache, g, wIh, wRec, bias, input, xp, h0, c0, reverse, captureHiddenGrads?.Invoke(), lastOnly);
            }
            finally
            {
                cache.Dispose();
                if (xpPooled) BufferPool.Return(xp);
            }
        }, inputs.ToArray());
        return new Result(y, hT, cT);
    }

    private static void Backward(Recurrence rec, FusedCache cache, Tensor g, Tensor wIh, Tensor wRec, Tensor bias,
        SequenceInput input, float[]? xp, Tensor? h0, Tensor? c0, bool reverse, float[]? capture, bool lastOnly)
    {
        int T = cache.T, B = cache.B, H = cache.H, GH = wIh.Shape[0], D = input.D;
        int Time(int s) => reverse ? T - 1 - s : s;
        float[]? dY = g.Data;
        bool dYPooled = false;
        var dh = new float[B * H];
        var dc = new float[B * H];
        if (lastOnly)
        {
            // the output is h after the last processed step: its gradient is the final ∂h
            Array.Copy(g.Data, dh, B * H);
            dY = null;
        }
        else if (reverse)
        {
            dY = BufferPool.Rent(T * B * H);
            dYPooled = true;
            for (int s = 0; s < T; s++) Array.Copy(g.Data, Time(s) * B * H, dY, s * B * H, B * H);
        }
        var dWRec = wRec.Tracked ? wRec.GradBuffer() : new float[wRec.Size];
        rec.Backward(cache, wRec.Data, dY, dh, dc, dWRec, capture);
        if (dYPooled) BufferPool.Return(dY);

        var dPre = cache.Gates; // [T·B, GH] in processing order
        int rows = T * B;
        // Column sums over all rows, split by columns so that each sum keeps one fixed order.
        float[]? dWt = null;
        if (input.Tokens is { } tokens && (bias.Tracked || wIh.Tracked))
        {
            // one-hot rows: ∂W_ih[:, tok] += ∂pre(row), accumulated transposed ([D, GH]); every row
            // belongs to exactly one token, so ∂b is the sum of these D rows (one pass over ∂pre)
            var acc = dWt = new float[D * GH];
            ParallelRange.Run(GH, 16, Parts(rows * GH), (c0, c1) =>
            {
                for (int r = 0; r < rows; r++)
                {
                    var row = acc.AsSpan(tokens[Time(r / B) * B + r % B] * GH + c0, c1 - c0);
                    TensorPrimitives.Add(row, dPre.AsSpan(r * GH + c0, c1 - c0), row);
                }
            });
        }
        if (bias.Tracked)
        {
            var db = bias.GradBuffer();
            if (dWt is not null)
                for (int k = 0; k < D; k++) TensorPrimitives.Add(db, dWt.AsSpan(k * GH, GH), db);
            else
            {
                var dbArray = bias.Grad!.Data;
                ParallelRange.Run(GH, 16, Parts(rows * GH), (c0, c1) =>
                {
                    var acc = dbArray.AsSpan(c0, c1 - c0);
                    for (int r = 0; r < rows; r++) TensorPrimitives.Add(acc, dPre.AsSpan(r * GH + c0, c1 - c0), acc);
                });
            }
        }
        if (wIh.Tracked)
        {
            var dW = wIh.GradBuffer();
            if (xp is not null) Gemm.Sgemm(true, false, GH, D, rows, 1f, dPre, GH, xp, D, 1f, dW, D);
            else
                for (int r = 0; r < GH; r++)
                    for (int k = 0; k < D; k++) dW[r * D + k] += dWt![k * GH + r];
        }
        if (input.Dense is { Tracked: true } x)
        {
            var dxp = BufferPool.Rent(rows * D);
            Gemm.Sgemm(false, false, rows, D, GH, 1f, dPre, GH, wIh.Data, D, 0f, dxp, D);
            var dx = x.GradBuffer();
            for (int s = 0; s < T; s++)
            {
                var dst = dx.Slice(Time(s) * B * D, B * D);
                TensorPrimitives.Add(dst, dxp.AsSpan(s * B * D, B * D), dst);
            }
            BufferPool.Return(dxp);
        }
        if (h0 is { Tracked: true }) h0.AccumulateGrad(dh);
        if (c0 is { Tracked: true }) c0.AccumulateGrad(dc);
    }

    /// <summary>Parts for an element-wise pass over this many values: one below ~256K.</summary>
    private static int Parts(long values) => values < 1 << 18 ? 1 : Parallelism.Threads;

    private static void CopyState(Tensor? init, float[] states, int n, string name)
    {
        if (init is null) Array.Clear(states, 0, n);
        else
        {
            if (init.Size != n) throw new ArgumentException($"{name} has {init.Size} values, expected {n} ([B, H])");
            Array.Copy(init.Data, states, n);
        }
    }

    /// <summary>[D, GH]: row k is column k of W_ih plus the bias, the input projection of token k.</summary>
    private static float[] InputTable(float[] w, float[] bias, int rows, int cols)
    {
        var t = BufferPool.Rent(rows * cols);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        for (int c = 0; c < cols; c++)
        {
            var row = t.AsSpan(c * rows, rows);
            TensorPrimitives.Add(row, bias, row);
        }
        return t;
    }
}
