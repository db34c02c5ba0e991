using SeqGraph.Autograd;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>The fused layers' hand-derived BPTT against the reference cells and finite differences.</summary>
public class RecurrentGradientTests
{
    public static TheoryData<CellType, int, int, bool, bool> FusedVsReferenceCases()
    {
        var data = new TheoryData<CellType, int, int, bool, bool>();
        foreach (var cell in Enum.GetValues<CellType>())
            foreach (var (t, b) in new[] { (1, 3), (2, 1), (7, 4) })
                foreach (bool withState in new[] { false, true })
                    foreach (bool tokens in new[] { false, true })
                        data.Add(cell, t, b, withState, tokens);
        return data;
    }

    private sealed record Setup(Recurrent Model, SequenceInput Input, Tensor? XDense, RecurrentState? State, Tensor HeadW, int[] Targets);

    private static Setup Make(CellType cell, int t, int b, bool withState, bool tokens, int layers = 1, bool bidi = false, ulong seed = 1,
        int d = 5, int h = 6)
    {
        var rng = new Rng(seed);
        var model = new Recurrent(cell, d, h, rng, numLayers: layers, bidirectional: bidi);
        Tensor? x = null;
        SequenceInput input;
        if (tokens)
        {
            var tok = Enumerable.Range(0, t * b).Select(_ => rng.NextInt(d)).ToArray();
            input = SequenceInput.FromTokens(tok, t, b, d);
        }
        else
        {
            x = Tensor.Uniform(rng, -1f, 1f, t, b, d);
            x.RequiresGrad = true;
            input = SequenceInput.FromDense(x);
        }
        RecurrentState? state = null;
        if (withState)
        {
            int n = layers * (bidi ? 2 : 1);
            var hs = Enumerable.Range(0, n).Select(_ => Tensor.Uniform(rng, -0.5f, 0.5f, b, h)).ToArray();
            var cs = Recurrent.HasCell(cell) ? Enumerable.Range(0, n).Select(_ => Tensor.Uniform(rng, -0.5f, 0.5f, b, h)).ToArray() : null;
            foreach (var s in hs.Concat(cs ?? Array.Empty<Tensor>())) s.RequiresGrad = true;
            state = new RecurrentState(hs, cs);
        }
        var headW = Tensor.Uniform(rng, -1f, 1f, 3, h * (bidi ? 2 : 1));
        var targets = Enumerable.Range(0, b).Select(_ => rng.NextInt(3)).ToArray();
        return new Setup(model, input, x, state, headW, targets);
    }

    // A loss that uses every step's output and the last state: seq-to-one head + Σ w⊙outputs.
    private static Tensor Loss(Setup s)
    {
        var r = s.Model.Forward(s.Input, s.State);
        var logits = Ops.MatMul(r.Last, s.HeadW, false, true);
        var w = Tensor.Uniform(new Rng(77), -1f, 1f, r.Output.Shape);
        return Ops.CrossEntropy(logits, s.Targets) + Ops.Sum(Ops.Mul(r.Output, w)) * 0.1f;
    }

    private static List<Tensor> Leaves(Setup s)
    {
        var l = s.Model.Parameters().ToList();
        if (s.XDense is not null) l.Add(s.XDense);
        if (s.State is not null) l.AddRange(s.State.H.Concat(s.State.C ?? Array.Empty<Tensor>()));
        return l;
    }

    private static (float Loss, List<float[]> Grads) Run(Setup s, RecurrentImpl impl)
    {
        s.Model.Impl = impl;
        var leaves = Leaves(s);
        foreach (var p in leaves) p.Grad = null;
        var loss = Loss(s);
        loss.Backward();
        return (loss.Item(), leaves.Select(p => p.Grad?.Data.ToArray() ?? new float[p.Size]).ToList());
    }

    private static void AssertGradientsEqual(Setup s)
    {
        var (lf, gf) = Run(s, RecurrentImpl.Fused);
        var (lr, gr) = Run(s, RecurrentImpl.Reference);
        Assert.Equal(lr, lf, 5);
        var names = s.Model.NamedParameters().Select(p => p.Name).Concat(new[] { "x", "state…" }).ToList();
        for (int i = 0; i < gf.Count; i++)
        {
            double scale = Math.Max(1e-3, gr[i].Max(v => Math.Abs(v)));
            double maxDiff = gf[i].Zip(gr[i], (a, b) => (double)Math.Abs(a - b)).DefaultIfEmpty(0).Max();
            Assert.True(maxDiff / scale <= 1e-4, $"{names[Math.Min(i, names.Count - 1)]} (#{i}): max |fused − reference| = {maxDiff:G3}, scale {scale:G3}");
        }
        Assert.Contains(gf, g => g.Any(v => v != 0f));
    }

    [Theory]
    [MemberData(nameof(FusedVsReferenceCases))]
    public void FusedGradientsEqualReference(CellType cell, int t, int b, bool withState, bool tokens) =>
        AssertGradientsEqual(Make(cell, t, b, withState, tokens));

    // Hidden sizes for every width of the fused LSTM cell (LstmCell) and its remainders: 16·k runs
    // at 512 bits only, 16k+8 adds the 256-bit width, +4 the 128-bit one, and leftovers of 1–3 the
    // one-lane code. .ci/run repeats this class with AVX-512 off, where the same sizes run at 256
    // bits and narrower.
    [Theory]
    [InlineData(32, false)]
    [InlineData(24, true)]
    [InlineData(28, false)]
    [InlineData(31, true)]
    [InlineData(13, false)]
    [InlineData(3, true)]
    public void LstmGradientsEqualReferenceAtEveryVectorWidth(int h, bool tokens) =>
        AssertGradientsEqual(Make(CellType.Lstm, 5, 3, withState: true, tokens, h: h));

    private static float[] Uniform(Rng rng, int n, float scale) =>
        Enumerable.Range(0, n).Select(_ => (rng.NextFloat() * 2 - 1) * scale).ToArray();

    /// <summary>Gate g's value for unit j of an i|f|g|o row of H units, as a one-unit row.</summary>
    private static float[] Unit(float[] row, int h, int j) => new[] { row[j], row[h + j], row[2 * h + j], row[3 * h + j] };

    [Theory]
    [InlineData(31)]
    [InlineData(45)]
    [InlineData(64)]
    public void LstmCellGivesEveryUnitTheOneLaneResultExactly(int h)
    {
        // A row of H units runs at the widest width that fits, then narrower ones; a one-unit row
        // runs the one-lane code. Each unit must come out bit for bit the same either way, forward
        // (with and without the folded input row, and with c updated in place as the sampler does)
        // and backward (with and without an output gradient and the ∂h capture).
        var rng = new Rng((ulong)h);
        var pre = Uniform(rng, 4 * h, 6f);
        var x = Uniform(rng, 4 * h, 2f);
        var cPrev = Uniform(rng, h, 2f);
        foreach (bool fold in new[] { false, true })
        {
            var row = (float[])pre.Clone();
            float[] c = new float[h], tc = new float[h], hh = new float[h];
            LstmCell.Forward(row, fold ? x : default, h, cPrev, c, tc, hh);
            var inPlace = (float[])pre.Clone();
            float[] cc = (float[])cPrev.Clone(), tc2 = new float[h], hh2 = new float[h];
            LstmCell.Forward(inPlace, fold ? x : default, h, cc, cc, tc2, hh2);
            Assert.Equal(row, inPlace);
            Assert.Equal(c, cc);
            Assert.Equal(hh, hh2);
            for (int j = 0; j < h; j++)
            {
                var r1 = Unit(pre, h, j);
                float[] c1 = new float[1], t1 = new float[1], h1 = new float[1];
                LstmCell.Forward(r1, fold ? Unit(x, h, j) : default, 1, new[] { cPrev[j] }, c1, t1, h1);
                Assert.Equal(Unit(row, h, j), r1);
                Assert.Equal((c[j], tc[j], hh[j]), (c1[0], t1[0], h1[0]));
            }
            Assert.Contains(hh, v => v != 0f);

            var dh = Uniform(rng, h, 1f);
            var dy = Uniform(rng, h, 1f);
            var dc0 = Uniform(rng, h, 1f);
            foreach (bool withY in new[] { false, true })
            {
                var grad = (float[])row.Clone();
                var dc = (float[])dc0.Clone();
                var capture = new float[h];
                LstmCell.Backward(grad, h, tc, cPrev, dh, withY ? dy : default, dc, withY ? capture : default);
                for (int j = 0; j < h; j++)
                {
                    var g1 = Unit(row, h, j);
                    float[] dc1 = { dc0[j] }, cap1 = new float[1];
                    LstmCell.Backward(g1, 1, new[] { tc[j] }, new[] { cPrev[j] }, new[] { dh[j] }, withY ? new[] { dy[j] } : default,
                        dc1, withY ? cap1 : default);
                    Assert.Equal(Unit(grad, h, j), g1);
                    Assert.Equal(dc[j], dc1[0]);
                    if (withY) Assert.Equal(dh[j] + dy[j], capture[j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(CellType.Lstm)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Rnn)]
    [InlineData(CellType.PeepholeLstm)]
    public void StackedAndBidirectionalFusedEqualReference(CellType cell)
    {
        AssertGradientsEqual(Make(cell, 5, 3, withState: true, tokens: true, layers: 2, bidi: true));
        AssertGradientsEqual(Make(cell, 4, 2, withState: false, tokens: false, layers: 3, bidi: false));
    }

    [Theory]
    [InlineData(CellType.Rnn, RecurrentImpl.Fused)]
    [InlineData(CellType.Lstm, RecurrentImpl.Fused)]
    [InlineData(CellType.PeepholeLstm, RecurrentImpl.Fused)]
    [InlineData(CellType.Gru, RecurrentImpl.Fused)]
    [InlineData(CellType.Rnn, RecurrentImpl.Reference)]
    [InlineData(CellType.Lstm, RecurrentImpl.Reference)]
    [InlineData(CellType.PeepholeLstm, RecurrentImpl.Reference)]
    [InlineData(CellType.Gru, RecurrentImpl.Reference)]
    public void GradientsMatchFiniteDifferences(CellType cell, RecurrentImpl impl)
    {
        var s = Make(cell, 7, 2, withState: true, tokens: false, bidi: cell == CellType.Lstm);
        s.Model.Impl = impl;
        var result = GradCheck.Check(() => Loss(s), Leaves(s), eps: 1e-2f, atol: 2e-3, rtol: 2e-2, maxElements: 24);
        Assert.True(result.Passed, $"{cell}/{impl}: {result.Worst}");
    }

    [Theory]
    [InlineData(CellType.Lstm, false, false)]
    [InlineData(CellType.Lstm, true, true)]
    [InlineData(CellType.Gru, true, false)]
    [InlineData(CellType.Rnn, false, true)]
    [InlineData(CellType.Rnn, true, false)]
    [InlineData(CellType.PeepholeLstm, true, true)]
    public void LargeBatchesSplitOverThreadsGiveIdenticalResults(CellType cell, bool withState, bool tokens)
    {
        // 50 rows × H 96: big enough for the time loop to run in parts (uneven ones at 3 threads)
        var s = Make(cell, 6, 50, withState, tokens, d: 7, h: 96);
        int gates = cell switch { CellType.Rnn => 1, CellType.Gru => 3, _ => 4 };
        Assert.True(2.0 * 6 * 50 * 96 * gates * 96 >= Gemm.ParallelFlops, "the case must be large enough for the loop to run in parts");
        var runs = new[] { 1, 2, 3 }.Select(threads =>
        {
            using (Parallelism.Use(threads)) using (SplitChoice.AlwaysSplit()) return Run(s, RecurrentImpl.Fused);
        }).ToList();
        foreach (var r in runs.Skip(1))
        {
            Assert.Equal(runs[0].Loss, r.Loss);
            for (int i = 0; i < r.Grads.Count; i++) Assert.Equal(runs[0].Grads[i], r.Grads[i]);
        }
        AssertGradientsEqual(s);
    }

    [Theory]
    [InlineData(CellType.Lstm, 1, false, false)]
    [InlineData(CellType.Lstm, 2, true, true)]
    [InlineData(CellType.Gru, 1, true, true)]
    [InlineData(CellType.Rnn, 2, true, false)]
    [InlineData(CellType.PeepholeLstm, 1, false, true)]
    public void LastOnlyPassGivesTheGradientsOfTheFullPass(CellType cell, int layers, bool bidi, bool withState)
    {
        // ForwardLast never builds the top layer's [T, B, H] output: the head's gradient enters the
        // time loop as ∂h(T). It must give exactly what the full output with a step selected gives.
        var s = Make(cell, 5, 3, withState, tokens: true, layers, bidi);
        var leaves = Leaves(s);
        List<float[]> Grads(bool lastOnly, RecurrentImpl impl)
        {
            s.Model.Impl = impl;
            foreach (var p in leaves) p.Grad = null;
            var last = lastOnly ? s.Model.ForwardLast(s.Input, s.State).Last : s.Model.Forward(s.Input, s.State).Last;
            Ops.CrossEntropy(Ops.MatMul(last, s.HeadW, false, true), s.Targets).Backward();
            return leaves.Select(p => p.Grad?.Data.ToArray() ?? new float[p.Size]).ToList();
        }
        var full = Grads(false, RecurrentImpl.Fused);
        var lastOnly = Grads(true, RecurrentImpl.Fused);
        var reference = Grads(true, RecurrentImpl.Reference);
        for (int i = 0; i < full.Count; i++)
        {
            Assert.Equal(full[i], lastOnly[i]);
            double scale = Math.Max(1e-3, reference[i].Max(v => Math.Abs(v)));
            Assert.True(full[i].Zip(reference[i], (a, b) => (double)Math.Abs(a - b)).Max() / scale <= 1e-4, $"leaf {i} differs from the reference");
        }
        Assert.Contains(lastOnly, g => g.Any(v => v != 0f));
    }

    [Fact]
    public void OneHotTokensAndDenseOneHotGiveTheSameOutputs()
    {
        var s = Make(CellType.Lstm, 6, 3, withState: false, tokens: true);
        var a = s.Model.Forward(s.Input).Output;
        var b = s.Model.Forward(SequenceInput.FromDense(s.Input.ToDense())).Output;
        Assert.Equal(a.Data, b.Data);
    }

    [Fact]
    public void FinalStateCarriesAcrossCalls()
    {
        // Running T steps at once equals running T1 then T2 with the carried state.
        var rng = new Rng(4);
        var m = new Recurrent(CellType.Lstm, 3, 4, rng, numLayers: 2);
        var x = Tensor.Uniform(rng, -1f, 1f, 6, 2, 3);
        using var _ = Tape.NoGrad();
        var full = m.Forward(SequenceInput.FromDense(x));
        var first = m.Forward(SequenceInput.FromDense(Ops.Slice(x, 0, 0, 4)));
        var second = m.Forward(SequenceInput.FromDense(Ops.Slice(x, 0, 4, 2)), first.Final);
        var expected = Ops.Slice(full.Output, 0, 4, 2).Data;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], second.Output.Data[i], 5);
    }
}
