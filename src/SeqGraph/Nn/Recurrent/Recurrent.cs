using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// A stack of recurrent layers (optionally bidirectional, with dropout between layers), named like
/// PyTorch's nn.LSTM: <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c>, suffix
/// <c>_reverse</c> for the backward direction. One bias per gate (PyTorch's bias_ih + bias_hh folded
/// into one), so an LSTM has 4n(d+n+1) parameters. The peephole LSTM names its cell-to-gate weight
/// <c>weight_ch_l{k}</c>. Inputs are time-first (see <see cref="SequenceInput"/>).
/// </summary>
public sealed class Recurrent : Module
{
    private readonly Tensor[][] _w; // per layer·direction: [W_ih, W_rec, b]
    private readonly Rng _rng;

    /// <summary>The cell.</summary>
    public CellType Cell { get; }

    /// <summary>Input features of the first layer.</summary>
    public int InputSize { get; }

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether each layer also runs from T down to 1.</summary>
    public bool Bidirectional { get; }

    /// <summary>Dropout probability between layers (training mode only).</summary>
    public float Dropout { get; }

    /// <summary>Fused (default) or reference implementation.</summary>
    public RecurrentImpl Impl { get; set; }

    /// <summary>Directions per layer (1 or 2).</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>
    /// When set, the next backward pass through the first layer's forward direction writes
    /// ∂L/∂h(t) for every step into this buffer ([T, B, H]); used by the vanishing-gradient experiment.
    /// </summary>
    public float[]? CaptureHiddenGradients { get; set; }

    /// <summary>Creates the layers with PyTorch's default initialisation U(−1/√H, 1/√H).</summary>
    public Recurrent(CellType cell, int inputSize, int hiddenSize, Rng rng, int numLayers = 1, bool bidirectional = false,
        float dropout = 0f, RecurrentImpl impl = RecurrentImpl.Fused)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), "sizes must be positive");
        if (dropout < 0 || dropout >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), "dropout must be in [0, 1)");
        (Cell, InputSize, HiddenSize, NumLayers, Bidirectional, Dropout, Impl, _rng) = (cell, inputSize, hiddenSize, numLayers, bidirectional, dropout, impl, rng);
        int g = GateCount(cell), h = hiddenSize;
        float bound = 1f / MathF.Sqrt(h);
        _w = new Tensor[numLayers * Directions][];
        for (int l = 0; l < numLayers; l++)
            for (int d = 0; d < Directions; d++)
            {
                int inF = l == 0 ? inputSize : h * Directions;
                string sfx = $"_l{l}" + (d == 1 ? "_reverse" : "");
                var wIh = RegisterParameter("weight_ih" + sfx, Tensor.Uniform(rng, -bound, bound, g * h, inF));
                var wRec = cell == CellType.PeepholeLstm
                    ? RegisterParameter("weight_ch" + sfx, Tensor.Uniform(rng, -bound, bound, 3 * h, h))
                    : RegisterParameter("weight_hh" + sfx, Tensor.Uniform(rng, -bound, bound, g * h, h));
                var b = RegisterParameter("bias_ih" + sfx, Tensor.Uniform(rng, -bound, bound, g * h));
                _w[l * Directions + d] = new[] { wIh, wRec, b };
            }
    }

    /// <summary>Gate blocks of a cell (the input projection is gates·H wide).</summary>
    public static int GateCount(CellType cell) => cell switch
    {
        CellType.Rnn => 1,
        CellType.Lstm or CellType.PeepholeLstm => 4,
        CellType.Gru => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    /// <summary>Whether the cell carries a cell state c.</summary>
    public static bool HasCell(CellType cell) => cell is CellType.Lstm or CellType.PeepholeLstm;

    /// <summary>The closed-form parameter count of one layer and direction with input d and n units.</summary>
    public static long ClosedFormParameters(CellType cell, long d, long n) => cell switch
    {
        CellType.PeepholeLstm => 4 * n * (d + 1) + 3 * n * n,
        _ => GateCount(cell) * n * (d + n + 1),
    };

    /// <summary>Re-initialises the weight matrices (not biases) with a scheme.</summary>
    public void InitWeights(InitScheme scheme, Rng rng)
    {
        foreach (var w in _w)
        {
            InitSchemes.Apply(w[0], scheme, rng);
            InitSchemes.Apply(w[1], scheme, rng);
        }
    }

    /// <summary>
    /// Sets the forget-gate bias of every LSTM layer (block [H, 2H) of the packed bias, for both
    /// LSTM variants) — the classic remedy for short memory at initialisation (Gers et al. 2000;
    /// Jozefowicz et al. 2015 recommend 1). Not applicable to RNN and GRU.
    /// </summary>
    public void InitForgetBias(float value)
    {
        if (!HasCell(Cell)) throw new InvalidOperationException($"{Cell} has no forget gate");
        foreach (var w in _w) Array.Fill(w[2].Data, value, HiddenSize, HiddenSize);
    }

    /// <summary>The weights [W_ih, W_rec, b] of layer <paramref name="layer"/>, direction <paramref name="dir"/>.</summary>
    public IReadOnlyList<Tensor> Weights(int layer, int dir = 0) => _w[layer * Directions + dir];

    /// <summary>Runs the stack over a time-first input.</summary>
    public RecurrentOutput Forward(SequenceInput input, RecurrentState? state = null)
    {
        var (output, last, final) = Run(input, state, onlyLast: false);
        return new RecurrentOutput(output!, last, final);
    }

    /// <summary>
    /// Runs the stack for a sequence-to-one head: the same <see cref="RecurrentOutput.Last"/> and
    /// <see cref="RecurrentOutput.Final"/> as <see cref="Forward"/>, without the top layer's
    /// per-step output: the fused path then neither copies out nor back-propagates a [T, B, H]
    /// tensor whose gradient is zero but for one step.
    /// </summary>
    public (Tensor Last, RecurrentState Final) ForwardLast(SequenceInput input, RecurrentState? state = null)
    {
        var (_, last, final) = Run(input, state, onlyLast: true);
        return (last, final);
    }

    private (Tensor? Output, Tensor Last, RecurrentState Final) Run(SequenceInput input, RecurrentState? state, bool onlyLast)
    {
        if (input.D != InputSize) throw new ArgumentException($"input has {input.D} features, the model expects {InputSize}");
        int n = NumLayers * Directions;
        if (state is not null && (state.H.Length != n || (HasCell(Cell) && (state.C is null || state.C.Length != n))))
            throw new ArgumentException($"initial state needs {n} tensors per kind");
        var finalH = new Tensor[n];
        var finalC = HasCell(Cell) ? new Tensor[n] : null;
        SequenceInput x = input;
        Tensor? output = null, last = null;
        for (int l = 0; l < NumLayers; l++)
        {
            var outs = new Tensor[Directions];
            var lasts = new Tensor[Directions];
            // the top layer of a sequence-to-one pass returns only the state after its last step
            bool lastOnly = onlyLast && l + 1 == NumLayers && Impl == RecurrentImpl.Fused;
            for (int d = 0; d < Directions; d++)
            {
                int idx = l * Directions + d;
                var h0 = state?.H[idx];
                var c0 = state?.C?[idx];
                var (y, hT, cT) = Impl == RecurrentImpl.Fused
                    ? RunFused(idx, x, h0, c0, d == 1, capture: l == 0 && d == 0, lastOnly)
                    : RunReference(idx, x, h0, c0, d == 1);
                outs[d] = y;
                // a direction's last processed step: time T−1 forward, time 0 reverse
                lasts[d] = lastOnly ? y : Ops.Select(y, 0, d == 0 ? x.T - 1 : 0);
                finalH[idx] = hT;
                if (finalC is not null) finalC[idx] = cT!;
            }
            output = lastOnly ? null : Directions == 1 ? outs[0] : Ops.Concat(outs, -1);
            last = Directions == 1 ? lasts[0] : Ops.Concat(lasts, -1);
            if (l + 1 < NumLayers) x = SequenceInput.FromDense(Ops.Dropout(output!, Dropout, Training, _rng));
        }
        return (output, last!, new RecurrentState(finalH, finalC));
    }

    private (Tensor, Tensor, Tensor?) RunFused(int idx, SequenceInput x, Tensor? h0, Tensor? c0, bool reverse, bool capture, bool lastOnly)
    {
        Recurrence rec = Cell switch
        {
            CellType.Rnn => RnnRecurrence.Instance,
            CellType.Lstm => LstmRecurrence.Instance,
            CellType.PeepholeLstm => PeepholeRecurrence.Instance,
            CellType.Gru => GruRecurrence.Instance,
            _ => throw new InvalidOperationException(),
        };
        var w = _w[idx];
        var r = FusedLayer.Run(rec, w[0], w[1], w[2], x, h0, c0, reverse, capture ? () => CaptureHiddenGradients : null, lastOnly);
        return (r.Output, r.FinalH, r.FinalC);
    }

    private (Tensor, Tensor, Tensor?) RunReference(int idx, SequenceInput x, Tensor? h0, Tensor? c0, bool reverse)
    {
        var w = _w[idx];
        var dense = x.ToDense();
        int T = x.T, B = x.B, H = HiddenSize;
        var h = h0 ?? Tensor.Zeros(B, H);
        var c = c0 ?? Tensor.Zeros(B, H);
        var outs = new Tensor[T];
        for (int s = 0; s < T; s++)
        {
            int t = reverse ? T - 1 - s : s;
            var xt = x.StepDense(dense, t);
            switch (Cell)
            {
                case CellType.Rnn: h = ReferenceCells.Rnn(xt, h, w[0], w[1], w[2]); break;
                case CellType.Lstm: (h, c) = ReferenceCells.Lstm(xt, h, c, w[0], w[1], w[2]); break;
                case CellType.PeepholeLstm: (h, c) = ReferenceCells.PeepholeLstm(xt, c, w[0], w[1], w[2]); break;
                case CellType.Gru: h = ReferenceCells.Gru(xt, h, w[0], w[1], w[2]); break;
            }
            outs[t] = h;
        }
        return (Ops.Stack(outs, 0), h.Detach(), HasCell(Cell) ? c.Detach() : null);
    }
}
