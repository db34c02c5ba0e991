using SeqGraph.Optim;
using SeqGraph.Tensors;

namespace SeqGraph.Tests.Optim;

/// <summary>Null gradients, checkpoint export/import and argument checking of the optimizers.</summary>
public class OptimizerStateTests
{
    private static readonly string[] Names = { "enc.weight", "enc.bias", "head.weight" };

    public static TheoryData<string> Configs => new()
    {
        "SgdPlain", "SgdMomentumDampening", "SgdNesterovWeightDecay", "RmsPropMomentum",
        "RmsPropCenteredMomentumWeightDecay", "AdamPlain", "AdamAmsGrad", "AdamWStrongDecay",
    };

    private static Tensor[] MakeParams() => new[]
    {
        Tensor.FromArray(new[] { 0.3f, -0.7f, 1.1f, 0.05f, -2.0f, 0.9f }, 2, 3),
        Tensor.FromArray(new[] { 0.25f, -0.5f }, 2),
        Tensor.FromArray(new[] { 1.5f, -0.125f, 0.75f }, 3),
    };

    /// <summary>A deterministic gradient for step <paramref name="s"/>; "head.weight" gets none on step 1.</summary>
    private static void SetGrads(Tensor[] ps, int s)
    {
        for (int i = 0; i < ps.Length; i++)
        {
            if (i == 2 && s == 1) { ps[i].Grad = null; continue; }
            var g = new float[ps[i].Size];
            for (int j = 0; j < g.Length; j++) g[j] = MathF.Sin(1.7f * s + 0.9f * j + 2.3f * i) * (1 + 0.1f * ps[i].Data[j]);
            ps[i].Grad = new Tensor(g, ps[i].Shape);
        }
    }

    private static float[] Flat(Tensor[] ps) => ps.SelectMany(p => p.Data).ToArray();

    [Theory]
    [MemberData(nameof(Configs))]
    public void SaveAndLoadAfterThreeStepsContinuesBitIdentically(string config)
    {
        // Uninterrupted: five steps, with StepLR halving the rate every two steps.
        var a = MakeParams();
        var optA = OptimizerReferenceTests.Make(config, a);
        var schedA = new StepLr(optA, stepSize: 2, gamma: 0.5f);
        for (int s = 0; s < 5; s++) { SetGrads(a, s); optA.Step(); schedA.Step(); }

        // Interrupted: three steps, snapshot, then the original keeps going (must not alter the snapshot).
        var b = MakeParams();
        var optB = OptimizerReferenceTests.Make(config, b);
        var schedB = new StepLr(optB, stepSize: 2, gamma: 0.5f);
        for (int s = 0; s < 3; s++) { SetGrads(b, s); optB.Step(); schedB.Step(); }
        var saved = optB.ExportState(Names);
        var savedSched = schedB.ExportState();
        var savedParams = b.Select(p => p.Clone()).ToArray();
        for (int s = 3; s < 5; s++) { SetGrads(b, s); optB.Step(); schedB.Step(); }
        Assert.Equal(Flat(a), Flat(b));

        // Resumed: fresh parameters, optimizer and scheduler, loaded from the snapshot.
        var c = MakeParams();
        for (int i = 0; i < c.Length; i++) savedParams[i].Data.CopyTo(c[i].Data, 0);
        var optC = OptimizerReferenceTests.Make(config, c);
        var schedC = new StepLr(optC, stepSize: 2, gamma: 0.5f);
        optC.LoadState(saved, Names);
        schedC.LoadState(savedSched);
        Assert.Equal(3, optC.StepCount);
        for (int s = 3; s < 5; s++) { SetGrads(c, s); optC.Step(); schedC.Step(); }
        Assert.Equal(Flat(a), Flat(c));
        Assert.Equal(optA.LearningRate, optC.LearningRate);
        Assert.Equal(5, optC.StepCount);

        // Without the state the continuation differs (unless the optimizer is stateless).
        var d = MakeParams();
        for (int i = 0; i < d.Length; i++) savedParams[i].Data.CopyTo(d[i].Data, 0);
        var optD = OptimizerReferenceTests.Make(config, d);
        optD.LearningRate = optC.LearningRate;
        var schedD = new StepLr(optD, stepSize: 2, gamma: 0.5f);
        schedD.LoadState(savedSched);
        for (int s = 3; s < 5; s++) { SetGrads(d, s); optD.Step(); schedD.Step(); }
        if (config == "SgdPlain") Assert.Equal(Flat(a), Flat(d));
        else Assert.NotEqual(Flat(a), Flat(d));
    }

    [Fact]
    public void ExportedStateUsesPyTorchNamesAndPerParameterCounters()
    {
        var ps = MakeParams();
        var opt = new Adam(ps, 0.01f, amsGrad: true);
        for (int s = 0; s < 3; s++) { SetGrads(ps, s); opt.Step(); }
        var st = opt.ExportState(Names);
        Assert.Equal(
            new[] { "exp_avg.enc.bias", "exp_avg.enc.weight", "exp_avg.head.weight", "exp_avg_sq.enc.bias", "exp_avg_sq.enc.weight",
                    "exp_avg_sq.head.weight", "max_exp_avg_sq.enc.bias", "max_exp_avg_sq.enc.weight", "max_exp_avg_sq.head.weight" },
            st.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new[] { 2, 3 }, st.Tensors["exp_avg.enc.weight"].Shape);
        Assert.Equal(3.0, st.Scalars["step_count"]);
        Assert.Equal(3.0, st.Scalars["step.enc.weight"]);
        Assert.Equal(2.0, st.Scalars["step.head.weight"]); // no gradient on step 1
        Assert.Equal((double)0.01f, st.Scalars["lr"]);

        var sgd = new Sgd(ps, 0.1f, momentum: 0.9);
        SetGrads(ps, 0);
        sgd.Step();
        Assert.Equal(new[] { "momentum_buffer.enc.bias", "momentum_buffer.enc.weight", "momentum_buffer.head.weight" },
            sgd.ExportState(Names).Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(new Sgd(ps, 0.1f).ExportState(Names).Tensors);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void ParameterWithoutGradientIsUntouchedAndGetsNoState(string config)
    {
        var ps = MakeParams();
        var before = ps[1].Clone();
        var opt = OptimizerReferenceTests.Make(config, ps);
        for (int s = 0; s < 3; s++)
        {
            SetGrads(ps, s);
            ps[1].Grad = null;
            opt.Step();
        }
        Assert.Equal(before.Data, ps[1].Data);
        Assert.Equal(0, opt.ParameterStepCount(1));
        Assert.Equal(3, opt.ParameterStepCount(0));
        var st = opt.ExportState(Names);
        Assert.DoesNotContain(st.Tensors.Keys, k => k.EndsWith(".enc.bias", StringComparison.Ordinal));
        Assert.False(st.Scalars.ContainsKey("step.enc.bias"));
        Assert.True(st.Scalars.ContainsKey("step.enc.weight"));
        Assert.NotEqual(MakeParams()[0].Data, ps[0].Data); // the others did move
    }

    [Fact]
    public void ZeroGradSetsEveryGradientToNull()
    {
        var ps = MakeParams();
        var opt = new Sgd(ps, 0.1f);
        SetGrads(ps, 0);
        opt.ZeroGrad();
        Assert.All(ps, p => Assert.Null(p.Grad));
        var before = Flat(ps);
        opt.Step();
        Assert.Equal(before, Flat(ps));
        Assert.Equal(1, opt.StepCount);
    }

    [Fact]
    public void LoadStateRejectsMismatchesWithClearErrorsAndChangesNothing()
    {
        var ps = MakeParams();
        var opt = new Adam(ps, 0.01f);
        for (int s = 0; s < 2; s++) { SetGrads(ps, s); opt.Step(); }
        var good = opt.ExportState(Names);

        OptimizerState With(string key, Tensor? t, string? removeKey = null)
        {
            var tensors = good.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
            if (removeKey != null) tensors.Remove(removeKey);
            if (t != null) tensors[key] = t;
            return good with { Tensors = tensors };
        }

        var target = new Adam(MakeParams(), 0.5f);
        var wrongShape = Assert.Throws<InvalidDataException>(() => target.LoadState(With("exp_avg.enc.weight", Tensor.Zeros(3, 2)), Names));
        Assert.Contains("exp_avg.enc.weight", wrongShape.Message);
        Assert.Contains("[3, 2]", wrongShape.Message);
        Assert.Contains("[2, 3]", wrongShape.Message);

        var unknownParam = Assert.Throws<InvalidDataException>(() => target.LoadState(With("exp_avg.dec.weight", Tensor.Zeros(2)), Names));
        Assert.Contains("exp_avg.dec.weight", unknownParam.Message);

        var unknownBuffer = Assert.Throws<InvalidDataException>(() => target.LoadState(With("momentum_buffer.enc.bias", Tensor.Zeros(2)), Names));
        Assert.Contains("momentum_buffer.enc.bias", unknownBuffer.Message);

        var unusedBuffer = Assert.Throws<InvalidDataException>(() => target.LoadState(With("max_exp_avg_sq.enc.bias", Tensor.Zeros(2)), Names));
        Assert.Contains("not used", unusedBuffer.Message);

        var missing = Assert.Throws<InvalidDataException>(() => target.LoadState(With("", null, removeKey: "exp_avg_sq.head.weight"), Names));
        Assert.Contains("exp_avg_sq.head.weight", missing.Message);

        var noCount = good with { Scalars = good.Scalars.Where(kv => kv.Key != "step_count").ToDictionary(kv => kv.Key, kv => kv.Value) };
        Assert.Contains("step_count", Assert.Throws<InvalidDataException>(() => target.LoadState(noCount, Names)).Message);

        var fractional = good with { Scalars = new Dictionary<string, double>(good.Scalars) { ["step.enc.bias"] = 1.5 } };
        Assert.Contains("step.enc.bias", Assert.Throws<InvalidDataException>(() => target.LoadState(fractional, Names)).Message);

        Assert.Throws<ArgumentException>(() => target.LoadState(good, Names[..2]));
        Assert.Throws<ArgumentException>(() => target.LoadState(good, new[] { "a", "a", "b" }));

        // Every failure above left the target as it was: fresh, no state, its own learning rate.
        Assert.Equal(0.5f, target.LearningRate);
        Assert.Equal(0, target.StepCount);
        Assert.Empty(target.ExportState(Names).Tensors);

        target.LoadState(good, Names);
        Assert.Equal(2, target.StepCount);
        Assert.Equal(0.01f, target.LearningRate);
        Assert.Equal(good.Tensors["exp_avg_sq.enc.weight"].Data, target.ExportState(Names).Tensors["exp_avg_sq.enc.weight"].Data);
    }

    [Fact]
    public void StepRejectsGradientOfWrongShapeBeforeUpdatingAnything()
    {
        var ps = MakeParams();
        var opt = new Sgd(ps, 0.1f);
        SetGrads(ps, 0);
        ps[2].Grad = Tensor.Zeros(4);
        var before = Flat(ps);
        var ex = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
        Assert.Equal(before, Flat(ps));
        Assert.Equal(0, opt.StepCount);
    }

    [Fact]
    public void ConstructorsValidateArguments()
    {
        var p = Tensor.Zeros(2);
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Tensor>(), 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd(new[] { p, p }, 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd(new[] { p }, 0.1f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(new[] { p }, 0.1f, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(new[] { p }, -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(new[] { p }, beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(new[] { p }, alpha: -0.5));
        var opt = new AdamW(new[] { p });
        Assert.Equal(1e-3f, opt.LearningRate);
        Assert.Equal(1e-2, opt.WeightDecay);
        Assert.Throws<ArgumentOutOfRangeException>(() => opt.LearningRate = float.NaN);
    }
}
