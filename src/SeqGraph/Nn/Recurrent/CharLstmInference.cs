using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// Batch-1 generation for a <see cref="CharLstm"/> without the tape: one character in, the next
/// character's logits out, hidden and cell state carried from call to call. Every buffer is
/// allocated once here; <see cref="Step"/> allocates nothing.
/// </summary>
/// <remarks>
/// Works on a snapshot of the weights taken at construction (create a new one after training
/// further). The first layer's input projection is precomputed for every symbol as a table
/// embedding·W_ihᵀ + b ([V, 4H]), so layer 0 costs one row lookup plus the recurrent GEMV; each
/// higher layer is one GEMV over the concatenated [W_ih | W_hh] and [x; h]; the head is one GEMV.
/// The GEMVs are vectorised with Vector512 (Vector256 or scalar where the CPU lacks it); the cell
/// is the training pass's own (<see cref="LstmCell.Forward"/>), with c updated in place. Results
/// equal the training-path forward with batch 1 up to the GEMVs' float32 summation order (≈1e-7).
/// </remarks>
public sealed class CharLstmInference
{
    private readonly int _v, _h, _layers;
    private readonly float[] _table0;       // [V, 4H]: embedding(v)·W_ih0ᵀ + b0
    private readonly float[] _whh0;         // [4H, H]
    private readonly float[][] _wcat;       // layers ≥ 1: [4H, 2H] = [W_ih | W_hh]
    private readonly float[][] _bias;       // layers ≥ 1: [4H]
    private readonly float[] _headW, _headB;
    private readonly float[][] _hState, _cState;
    private readonly float[] _xh, _z, _tanhC, _logits;

    // The GEMV split over threads: its operands travel in fields so that the part delegate is
    // created once (no allocation per character).
    private readonly Action<int, int> _gemvPart;
    private float[] _pw = Array.Empty<float>(), _px = Array.Empty<float>(), _py = Array.Empty<float>();
    private int _pcols;

    /// <summary>Snapshots the weights of <paramref name="model"/> and starts from the zero state.</summary>
    public CharLstmInference(CharLstm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var c = model.Config;
        (_v, _h, _layers) = (c.Vocabulary, c.Hidden, c.Layers);
        int g = 4 * _h, e = c.Embed;
        var l0 = model.Lstm.Weights(0);
        _table0 = new float[_v * g];
        var emb = model.Embedding.Weight.Data;
        for (int s = 0; s < _v; s++)
        {
            var row = _table0.AsSpan(s * g, g);
            Gemv(l0[0].Data, g, e, emb.AsSpan(s * e, e), row);
            TensorPrimitives.Add(row, l0[2].Data, row);
        }
        _whh0 = (float[])l0[1].Data.Clone();
        _wcat = new float[_layers][];
        _bias = new float[_layers][];
        for (int l = 1; l < _layers; l++)
        {
            var w = model.Lstm.Weights(l);
            var cat = new float[g * 2 * _h];
            for (int r = 0; r < g; r++)
            {
                w[0].Data.AsSpan(r * _h, _h).CopyTo(cat.AsSpan(r * 2 * _h, _h));
                w[1].Data.AsSpan(r * _h, _h).CopyTo(cat.AsSpan(r * 2 * _h + _h, _h));
            }
            _wcat[l] = cat;
            _bias[l] = (float[])w[2].Data.Clone();
        }
        _headW = (float[])model.Head.Weight.Data.Clone();
        _headB = model.Head.Bias is { } hb ? (float[])hb.Data.Clone() : new float[_v];
        _hState = new float[_layers][];
        _cState = new float[_layers][];
        for (int l = 0; l < _layers; l++) { _hState[l] = new float[_h]; _cState[l] = new float[_h]; }
        _xh = new float[2 * _h];
        _z = new float[g];
        _tanhC = new float[_h];
        _logits = new float[_v];
        _gemvPart = (lo, hi) => GemvAdd(_pw.AsSpan(lo * _pcols, (hi - lo) * _pcols), hi - lo, _pcols, _px, _py.AsSpan(lo, hi - lo));
    }

    /// <summary>Vocabulary size.</summary>
    public int Vocabulary => _v;

    /// <summary>Sets the hidden and cell state of every layer to zero.</summary>
    public void Reset()
    {
        for (int l = 0; l < _layers; l++) { Array.Clear(_hState[l]); Array.Clear(_cState[l]); }
    }

    /// <summary>The current hidden state of layer <paramref name="layer"/> (read-only view).</summary>
    public ReadOnlySpan<float> Hidden(int layer) => _hState[layer];

    /// <summary>The current cell state of layer <paramref name="layer"/> (read-only view).</summary>
    public ReadOnlySpan<float> Cell(int layer) => _cState[layer];

    /// <summary>
    /// Feeds one symbol, advances the state, and returns the logits for the next symbol. The span
    /// is valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Step(int symbol)
    {
        if ((uint)symbol >= (uint)_v) throw new ArgumentOutOfRangeException(nameof(symbol), $"symbol {symbol} outside 0..{_v - 1}");
        int g = 4 * _h;
        // layer 0: z = W_hh·h, and the cell adds table[symbol] as it loads z (as in training)
        Array.Clear(_z);
        GemvAddSplit(_whh0, g, _h, _hState[0], _z);
        LstmCell.Forward(_z, _table0.AsSpan(symbol * g, g), _h, _cState[0], _cState[0], _tanhC, _hState[0]);
        for (int l = 1; l < _layers; l++)
        {
            _hState[l - 1].CopyTo(_xh, 0);
            _hState[l].CopyTo(_xh, _h);
            _bias[l].CopyTo(_z, 0);
            GemvAddSplit(_wcat[l], g, 2 * _h, _xh, _z);
            LstmCell.Forward(_z, default, _h, _cState[l], _cState[l], _tanhC, _hState[l]);
        }
        _headB.CopyTo(_logits, 0);
        GemvAdd(_headW, _v, _h, _hState[_layers - 1], _logits);
        return _logits;
    }

    /// <summary>
    /// y += W·x, with the rows split over the engine's threads when W is large (hidden 512: the
    /// weights no longer fit in one core's cache and streaming them is the whole cost). Parts are
    /// multiples of 16 rows, so every row is summed exactly as on one thread.
    /// </summary>
    private void GemvAddSplit(float[] w, int rows, int cols, float[] x, float[] y)
    {
        int parts = (long)rows * cols >= 1 << 18 ? Parallelism.Threads : 1;
        if (parts == 1)
        {
            GemvAdd(w, rows, cols, x, y);
            return;
        }
        (_pw, _pcols, _px, _py) = (w, cols, x, y);
        ParallelRange.Run(rows, 16, parts, _gemvPart);
    }

    /// <summary>y = W·x for row-major W [rows, cols].</summary>
    internal static void Gemv(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        y[..rows].Clear();
        GemvAdd(w, rows, cols, x, y);
    }

    /// <summary>
    /// y += W·x for row-major W [rows, cols], four rows at a time sharing the loads of x: 16 lanes
    /// with AVX-512, 8 with AVX2 (before 9406e8f AVX2 machines summed each row with
    /// TensorPrimitives.Dot, as the last rows still are).
    /// </summary>
    internal static unsafe void GemvAdd(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        int r = 0;
        fixed (float* pw = w, px = x)
        {
            if (Vector512.IsHardwareAccelerated && cols >= 16) r = GemvRows4<GemmVector512, Vector512<float>>(pw, rows, cols, px, y);
            else if (Vector256.IsHardwareAccelerated && Fma.IsSupported && cols >= 8) r = GemvRows4<GemmVector256, Vector256<float>>(pw, rows, cols, px, y);
        }
        for (; r < rows; r++) y[r] += TensorPrimitives.Dot(w.Slice(r * cols, cols), x[..cols]);
    }

    /// <summary>The rows of <see cref="GemvAdd"/> in groups of four on one vector width; returns the rows done.</summary>
    private static unsafe int GemvRows4<TOps, TV>(float* w, int rows, int cols, float* x, Span<float> y)
        where TOps : struct, IGemmVector<TV> where TV : struct
    {
        int n = TOps.Count, vc = cols / n * n, r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            float* w0 = w + (nint)r * cols, w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
            TV a0 = default, a1 = default, a2 = default, a3 = default;
            int k = 0;
            for (; k < vc; k += n)
            {
                var xv = TOps.Load(x + k);
                a0 = TOps.Accumulate(TOps.Load(w0 + k), xv, a0);
                a1 = TOps.Accumulate(TOps.Load(w1 + k), xv, a1);
                a2 = TOps.Accumulate(TOps.Load(w2 + k), xv, a2);
                a3 = TOps.Accumulate(TOps.Load(w3 + k), xv, a3);
            }
            float s0 = TOps.Sum(a0), s1 = TOps.Sum(a1), s2 = TOps.Sum(a2), s3 = TOps.Sum(a3);
            for (; k < cols; k++)
            {
                float xk = x[k];
                s0 += w0[k] * xk;
                s1 += w1[k] * xk;
                s2 += w2[k] * xk;
                s3 += w3[k] * xk;
            }
            y[r] += s0;
            y[r + 1] += s1;
            y[r + 2] += s2;
            y[r + 3] += s3;
        }
        return r;
    }
}
