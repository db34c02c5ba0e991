using SeqGraph.Optim;
using SeqGraph.Tensors;

namespace SeqGraph.Tests.Optim;

public class OptimizerStepLrTests
{
    [Fact]
    public void LearningRateDecaysByGammaEveryStepSizeSteps()
    {
        var opt = new Sgd(new[] { Tensor.Zeros(1) }, 0.2f);
        var sched = new StepLr(opt, stepSize: 3, gamma: 0.5f);
        // lr after k calls = 0.2 * 0.5^floor(k / 3)
        float[] expected = { 0.2f, 0.2f, 0.2f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f };
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(k, sched.Count);
            Assert.Equal(expected[k], sched.LastLr, 7);
            Assert.Equal(sched.LastLr, opt.LearningRate);
            sched.Step();
        }
    }

    [Fact]
    public void StateRoundTripsAndSetsTheOptimizerRate()
    {
        var opt = new Adam(new[] { Tensor.Zeros(1) }, 0.1f);
        var sched = new StepLr(opt, stepSize: 2, gamma: 0.1f);
        for (int k = 0; k < 5; k++) sched.Step();
        var state = sched.ExportState();

        var opt2 = new Adam(new[] { Tensor.Zeros(1) }, 0.7f);
        var sched2 = new StepLr(opt2, stepSize: 2, gamma: 0.1f);
        sched2.LoadState(state);
        Assert.Equal(5, sched2.Count);
        Assert.Equal(0.1f, sched2.BaseLr);
        Assert.Equal(sched.LastLr, opt2.LearningRate);
        sched.Step();
        sched2.Step();
        Assert.Equal(sched.LastLr, sched2.LastLr);
        Assert.Equal((float)(0.1 * Math.Pow(0.1f, 3)), sched2.LastLr);

        Assert.Throws<InvalidDataException>(() => sched2.LoadState(new Dictionary<string, double> { ["last_epoch"] = 1 }));
        Assert.Throws<InvalidDataException>(() => sched2.LoadState(new Dictionary<string, double> { ["last_epoch"] = -1, ["base_lr"] = 0.1f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(opt, stepSize: 0, gamma: 0.1f));
    }
}
