using SeqGraph.Nn;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

public class ModuleTests
{
    [Fact]
    public void ParametersAreNamedLikePyTorch()
    {
        var rng = new Rng(0);
        var m = new Sequential(new Linear(3, 4, rng), new Dropout(0.5f, rng), Activation.Relu(), new Linear(4, 2, rng, bias: false));
        Assert.Equal(new[] { "0.weight", "0.bias", "3.weight" }, m.NamedParameters().Select(p => p.Name));
        Assert.Equal(3 * 4 + 4 + 4 * 2, m.ParameterCount);
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void TrainAndEvalReachEverySubModule()
    {
        var rng = new Rng(0);
        var drop = new Dropout(0.5f, rng);
        var m = new Sequential(new Linear(3, 3, rng), drop);
        m.Eval();
        Assert.False(drop.Training);
        var x = Tensor.Ones(2, 3);
        Assert.Equal(m.Forward(x).Data, m.Forward(x).Data); // dropout off: deterministic
        m.Train();
        Assert.True(drop.Training);
    }

    [Fact]
    public void DefaultInitialisationMatchesPyTorchRanges()
    {
        var rng = new Rng(1);
        var lin = new Linear(400, 300, rng);
        float bound = 1f / MathF.Sqrt(400);
        Assert.All(lin.Weight.Data, v => Assert.InRange(v, -bound, bound));
        Assert.All(lin.Bias!.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(lin.Weight.Data.Max() > 0.95f * bound);
        var emb = new Embedding(1000, 100, rng);
        double mean = emb.Weight.Data.Average(), std = Math.Sqrt(emb.Weight.Data.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
    }

    [Fact]
    public void XavierAndKaimingFollowTheirFormulas()
    {
        var rng = new Rng(2);
        var w = Tensor.Zeros(200, 300);
        Init.XavierUniform(w, rng);
        float a = MathF.Sqrt(6f / 500f);
        Assert.All(w.Data, v => Assert.InRange(v, -a, a));
        Assert.True(w.Data.Max() > 0.99f * a);
        Init.KaimingNormal(w, rng, nonlinearity: "relu");
        double std = Math.Sqrt(w.Data.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.98 * Math.Sqrt(2.0 / 300), 1.02 * Math.Sqrt(2.0 / 300));
        Init.XavierNormal(w, rng);
        std = Math.Sqrt(w.Data.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.98 * Math.Sqrt(2.0 / 500), 1.02 * Math.Sqrt(2.0 / 500));
        Init.KaimingUniform(w, rng, a: MathF.Sqrt(5)); // PyTorch's Linear default: bound 1/√fan_in
        Assert.All(w.Data, v => Assert.InRange(v, -1f / MathF.Sqrt(300), 1f / MathF.Sqrt(300)));
        Assert.Equal(5f / 3f, Init.Gain("tanh"));
    }

    [Fact]
    public void LoadStateDictCopiesValuesAndRejectsMismatches()
    {
        var a = new Linear(3, 2, new Rng(1));
        var b = new Linear(3, 2, new Rng(2));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Weight.Data, b.Weight.Data);
        var wrong = new Dictionary<string, Tensor> { ["weight"] = Tensor.Zeros(2, 4), ["bias"] = Tensor.Zeros(2) };
        var e = Assert.Throws<InvalidDataException>(() => b.LoadStateDict(wrong));
        Assert.Contains("weight", e.Message);
        Assert.Throws<InvalidDataException>(() => b.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.Zeros(2, 3) }));
    }
}
