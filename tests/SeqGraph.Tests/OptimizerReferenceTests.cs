using SeqGraph.Optim;
using SeqGraph.Tensors;

namespace SeqGraph.Tests.Optim;

/// <summary>Optimizer updates compared against trajectories computed independently by PyTorch.</summary>
public class OptimizerReferenceTests
{
    internal static readonly float[] P0 = { 0.5f, -1.25f, 2.0f, 0.0f, 3.75f };

    internal static readonly float[][] Grads =
    {
        new[] { 0.1f, -0.2f, 0.3f, -0.4f, 0.5f },
        new[] { -0.3f, 0.25f, 0.0f, 1.5f, -0.05f },
        new[] { 0.7f, -0.6f, 0.45f, 0.2f, 0.9f },
        new[] { 0.05f, 1.2f, -0.8f, -0.35f, 0.15f },
    };

    /// <summary>The same configurations as CONFIGS in Fixtures/optim_reference.py.</summary>
    internal static Optimizer Make(string config, IEnumerable<Tensor> p) => config switch
    {
        "SgdPlain" => new Sgd(p, 0.1f),
        "SgdMomentumDampening" => new Sgd(p, 0.1f, momentum: 0.9, dampening: 0.1),
        "SgdNesterovWeightDecay" => new Sgd(p, 0.1f, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "RmsPropPlain" => new RmsProp(p, 0.01f),
        "RmsPropMomentum" => new RmsProp(p, 0.01f, momentum: 0.9),
        "RmsPropCentered" => new RmsProp(p, 0.01f, centered: true),
        "RmsPropCenteredMomentumWeightDecay" => new RmsProp(p, 0.01f, centered: true, momentum: 0.5, weightDecay: 0.1),
        "RmsPropLargeEps" => new RmsProp(p, 0.01f, eps: 0.1),
        "AdamPlain" => new Adam(p, 0.01f),
        "AdamWeightDecay" => new Adam(p, 0.01f, weightDecay: 0.1),
        "AdamLargeEps" => new Adam(p, 0.01f, eps: 0.1),
        "AdamAmsGrad" => new Adam(p, 0.01f, amsGrad: true),
        "AdamWDefault" => new AdamW(p, 0.01f),
        "AdamWStrongDecay" => new AdamW(p, 0.01f, weightDecay: 0.5),
        _ => throw new ArgumentException(config),
    };

    // Expected parameters after each of the four steps. Produced by
    // Fixtures/optim_reference.py run with torch 1.13 (version string 1.13.0a0), using torch.optim's
    // own SGD / RMSprop / Adam / AdamW on float32 tensors; pasted verbatim.
    private static readonly Dictionary<string, float[][]> Expected = new()
    {
        ["SgdPlain"] = new[]
        {
            new[] { 0.49000001f, -1.23000002f, 1.97000003f, 0.0400000028f, 3.70000005f },
            new[] { 0.520000041f, -1.255f, 1.97000003f, -0.109999999f, 3.70500016f },
            new[] { 0.450000048f, -1.19499993f, 1.92500007f, -0.129999995f, 3.61500025f },
            new[] { 0.445000052f, -1.31499994f, 2.00500011f, -0.0949999988f, 3.60000014f },
        },
        ["SgdMomentumDampening"] = new[]
        {
            new[] { 0.49000001f, -1.23000002f, 1.97000003f, 0.0400000028f, 3.70000005f },
            new[] { 0.508000016f, -1.23450005f, 1.94300008f, -0.0590000004f, 3.65950012f },
            new[] { 0.461200029f, -1.18455005f, 1.87820005f, -0.166099995f, 3.54205012f },
            new[] { 0.414580047f, -1.24759507f, 1.89188004f, -0.230989993f, 3.42284513f },
        },
        ["SgdNesterovWeightDecay"] = new[]
        {
            new[] { 0.480049998f, -1.20962501f, 1.93920004f, 0.0759999976f, 3.64787507f },
            new[] { 0.527632892f, -1.23761427f, 1.90959561f, -0.176744401f, 3.60690665f },
            new[] { 0.409887046f, -1.12504172f, 1.79556859f, -0.306810141f, 3.39096498f },
            new[] { 0.357111871f, -1.30470276f, 1.88375139f, -0.338945419f, 3.2459209f },
        },
        ["RmsPropPlain"] = new[]
        {
            new[] { 0.400000095f, -1.1500001f, 1.9000001f, 0.0999999791f, 3.6500001f },
            new[] { 0.494915873f, -1.22823977f, 1.9000001f, 0.00334440172f, 3.66000009f },
            new[] { 0.403698653f, -1.13987815f, 1.81653917f, -0.00950063579f, 3.57248116f },
            new[] { 0.397164315f, -1.22701633f, 1.89959347f, 0.0125360414f, 3.55797625f },
        },
        ["RmsPropMomentum"] = new[]
        {
            new[] { 0.400000095f, -1.1500001f, 1.89999998f, 0.0999999717f, 3.6500001f },
            new[] { 0.404915959f, -1.13823986f, 1.81000006f, 0.093344368f, 3.57000017f },
            new[] { 0.318123013f, -1.039294f, 1.64553916f, 0.0745092854f, 3.41048121f },
            new[] { 0.233475015f, -1.03738093f, 1.58057868f, 0.0795943886f, 3.25240922f },
        },
        ["RmsPropCentered"] = new[]
        {
            new[] { 0.399496317f, -1.14949632f, 1.8994962f, 0.100503758f, 3.64949632f },
            new[] { 0.494604588f, -1.22774637f, 1.8994962f, 0.00360267609f, 3.65953612f },
            new[] { 0.403192341f, -1.13909507f, 1.81522906f, -0.00928687956f, 3.57126379f },
            new[] { 0.396641284f, -1.22633255f, 1.89828515f, 0.0127876764f, 3.55660868f },
        },
        ["RmsPropCenteredMomentumWeightDecay"] = new[]
        {
            new[] { 0.399496287f, -1.1494962f, 1.8994962f, 0.100503758f, 3.64949632f },
            new[] { 0.436035573f, -1.13783658f, 1.81327581f, 0.0538108684f, 3.56494617f },
            new[] { 0.361204803f, -1.04157412f, 1.69258225f, 0.0173144452f, 3.4410274f },
            new[] { 0.313006341f, -1.07455623f, 1.69332778f, 0.0209004674f, 3.348207f },
        },
        ["RmsPropLargeEps"] = new[]
        {
            new[] { 0.4909091f, -1.23333335f, 1.97692311f, 0.0285714306f, 3.7166667f },
            new[] { 0.51370424f, -1.25227952f, 1.97692311f, -0.0302082561f, 3.72000003f },
            new[] { 0.474098027f, -1.21654451f, 1.94768667f, -0.038029857f, 3.6756289f },
            new[] { 0.471265465f, -1.26702571f, 1.98843598f, -0.0245072655f, 3.66825485f },
        },
        ["AdamPlain"] = new[]
        {
            new[] { 0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, 3.74000001f },
            new[] { 0.49494192f, -1.24162734f, 1.98329937f, 0.00453533465f, 3.73407364f },
            new[] { 0.490691721f, -1.2365824f, 1.97511137f, -0.000470879953f, 3.72626305f },
            new[] { 0.486839861f, -1.23960245f, 1.97617257f, -0.00320327794f, 3.71909451f },
        },
        ["AdamWeightDecay"] = new[]
        {
            new[] { 0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, 3.74000001f },
            new[] { 0.492952466f, -1.236444f, 1.98102188f, 0.00453394372f, 3.73113155f },
            new[] { 0.487830162f, -1.22949576f, 1.9716742f, -0.000474544242f, 3.7219274f },
            new[] { 0.482956797f, -1.23075426f, 1.96883309f, -0.00320947869f, 3.71294355f },
        },
        ["AdamLargeEps"] = new[]
        {
            new[] { 0.495000005f, -1.24333334f, 1.99249995f, 0.00799999945f, 3.74166656f },
            new[] { 0.498414993f, -1.24446213f, 1.98794639f, 0.00299149752f, 3.73704195f },
            new[] { 0.494946569f, -1.24044096f, 1.98174429f, -0.00151592819f, 3.73035479f },
            new[] { 0.49188903f, -1.24307883f, 1.98262346f, -0.00394532178f, 3.72434092f },
        },
        ["AdamAmsGrad"] = new[]
        {
            new[] { 0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, 3.74000001f },
            new[] { 0.49494192f, -1.24162734f, 1.98330283f, 0.00453533465f, 3.73407364f },
            new[] { 0.490691721f, -1.2365824f, 1.97511482f, -0.000470879953f, 3.72626305f },
            new[] { 0.486839861f, -1.23960245f, 1.97617602f, -0.00320327794f, 3.71909451f },
        },
        ["AdamWDefault"] = new[]
        {
            new[] { 0.489950001f, -1.23987496f, 1.98979998f, 0.00999999978f, 3.73962498f },
            new[] { 0.494842917f, -1.24137831f, 1.98290038f, 0.00453433441f, 3.73332453f },
            new[] { 0.490543216f, -1.23620915f, 1.97451401f, -0.000472333748f, 3.72514057f },
            new[] { 0.486642301f, -1.23910558f, 1.97537768f, -0.00320468447f, 3.71759939f },
        },
        ["AdamWStrongDecay"] = new[]
        {
            new[] { 0.487500012f, -1.23374999f, 1.98000002f, 0.00999999978f, 3.72125006f },
            new[] { 0.49000442f, -1.22920859f, 1.96339941f, 0.00448533474f, 3.6967175f },
            new[] { 0.483304203f, -1.21801758f, 1.9453944f, -0.000543306582f, 3.67042327f },
            new[] { 0.47703582f, -1.21494758f, 1.9367286f, -0.0032729879f, 3.64490271f },
        },
        ["AdamSkippedGradient"] = new[]
        {
            new[] { 0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, 3.74000001f },
            new[] { 0.49494192f, -1.24162734f, 1.98329937f, 0.00999999978f, 3.74000001f },
            new[] { 0.490691721f, -1.2365824f, 1.97511137f, 0.01266337f, 3.73024154f },
            new[] { 0.486839861f, -1.23960245f, 1.97617257f, 0.0182234198f, 3.72185564f },
        },
    };

    public static TheoryData<string> Configs => new(Expected.Keys.Where(k => k != "AdamSkippedGradient"));

    /// <summary>|actual − expected| ≤ 1e-6·max(|expected|, 1): float32 round-off on O(1) parameters.</summary>
    internal static void AssertClose(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 1e-6 * Math.Max(Math.Abs(expected[i]), 1.0);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol,
                $"{context}, element {i}: expected {expected[i]:R}, got {actual[i]:R} (diff {Math.Abs(actual[i] - expected[i]):E2})");
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void TrajectoryMatchesPyTorch(string config)
    {
        var p = Tensor.FromArray(P0, 5);
        var opt = Make(config, new[] { p });
        for (int s = 0; s < Grads.Length; s++)
        {
            p.Grad = Tensor.FromArray(Grads[s], 5);
            opt.Step();
            AssertClose(Expected[config][s], p.Data, $"{config} step {s + 1}");
        }
        Assert.Equal(Grads.Length, opt.StepCount);
    }

    [Fact]
    public void GradientsAreNotModifiedByStep()
    {
        foreach (var config in Expected.Keys.Where(k => k != "AdamSkippedGradient"))
        {
            var p = Tensor.FromArray(P0, 5);
            var opt = Make(config, new[] { p });
            p.Grad = Tensor.FromArray(Grads[0], 5);
            opt.Step();
            opt.Step();
            Assert.Equal(Grads[0], p.Grad.Data);
        }
    }

    [Fact]
    public void AdamKeepsAStepCountPerParameterLikePyTorch()
    {
        var a = Tensor.FromArray(P0[..3], 3);
        var b = Tensor.FromArray(P0[3..], 2);
        var opt = new Adam(new[] { a, b }, 0.01f);
        for (int s = 0; s < Grads.Length; s++)
        {
            a.Grad = Tensor.FromArray(Grads[s][..3], 3);
            b.Grad = s == 1 ? null : Tensor.FromArray(Grads[s][3..], 2);
            opt.Step();
            AssertClose(Expected["AdamSkippedGradient"][s], a.Data.Concat(b.Data).ToArray(), $"step {s + 1}");
        }
        Assert.Equal(4, opt.ParameterStepCount(0));
        Assert.Equal(3, opt.ParameterStepCount(1));
        Assert.Equal(4, opt.StepCount);
    }

    [Fact]
    public void UpdatesSpanningSeveralChunksMatchElementByElementUpdates()
    {
        // 2500 elements cross the 1024-element chunk boundaries; element i of the big vector must
        // follow exactly the trajectory of a 5-element vector holding the same values.
        const int n = 2500;
        var big = new float[n];
        for (int i = 0; i < n; i++) big[i] = P0[i % 5];
        foreach (var config in new[] { "SgdNesterovWeightDecay", "RmsPropCenteredMomentumWeightDecay", "AdamPlain", "AdamLargeEps", "AdamAmsGrad", "AdamWStrongDecay" })
        {
            var pBig = Tensor.FromArray(big, n);
            var pSmall = Tensor.FromArray(P0, 5);
            var optBig = Make(config, new[] { pBig });
            var optSmall = Make(config, new[] { pSmall });
            foreach (var g in Grads)
            {
                var gBig = new float[n];
                for (int i = 0; i < n; i++) gBig[i] = g[i % 5];
                pBig.Grad = Tensor.FromArray(gBig, n);
                pSmall.Grad = Tensor.FromArray(g, 5);
                optBig.Step();
                optSmall.Step();
            }
            for (int i = 0; i < n; i++) Assert.Equal(pSmall.Data[i % 5], pBig.Data[i]);
        }
    }
}
