using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Tests;

public class TextSamplerTests
{
    private static CharLstm Model() => new(new CharLstmConfig(12, 6, 16, 2), 9);

    [Fact]
    public void GreedyIsArgMaxAndDeterministic()
    {
        var m = Model();
        var s = new TextSampler(new CharLstmInference(m));
        var a = new int[40];
        var b = new int[40];
        s.Generate(new[] { 1, 2 }, a, Decoding.Greedy, new Rng(1));
        s.Generate(new[] { 1, 2 }, b, Decoding.Greedy, new Rng(999));
        Assert.Equal(a, b);
        var net = new CharLstmInference(m);
        net.Step(1);
        var logits = net.Step(2);
        Assert.Equal(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits), a[0]);
    }

    [Theory]
    [InlineData(1e-45f)]
    [InlineData(1e-39f)]
    public void ATemperatureWhoseReciprocalOverflowsIsGreedy(float temperature)
    {
        // 1/T is +Infinity: (max - max) / T would be NaN and every weight with it (fuzz, seed 7 case 239)
        Assert.True(float.IsInfinity(1f / temperature));
        var s = new TextSampler(new CharLstmInference(Model()));
        var logits = new float[] { 0.5f, 3f, -1f, 2.9f, 0f, 2.8f, 1f, -2f, 0.2f, 2.7f, 0.1f, 0.3f };
        var rng = new Rng(2);
        for (int i = 0; i < 50; i++) Assert.Equal(1, s.Choose(logits, new Decoding(temperature), rng));
        Assert.Equal(1, s.Choose(logits, new Decoding(temperature, TopK: 3), rng));
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndSeedsDiffer()
    {
        var s = new TextSampler(new CharLstmInference(Model()));
        var a = new int[200];
        var b = new int[200];
        var c = new int[200];
        s.Generate(new[] { 3 }, a, new Decoding(1f), new Rng(5));
        s.Generate(new[] { 3 }, b, new Decoding(1f), new Rng(5));
        s.Generate(new[] { 3 }, c, new Decoding(1f), new Rng(6));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TopKNeverPicksOutsideTheTopK()
    {
        var s = new TextSampler(new CharLstmInference(Model()));
        var logits = new float[] { 0.5f, 3f, -1f, 2.9f, 0f, 2.8f, 1f, -2f, 0.2f, 2.7f, 0.1f, 0.3f };
        var rng = new Rng(2);
        var seen = new HashSet<int>();
        for (int i = 0; i < 3000; i++) seen.Add(s.Choose(logits, new Decoding(5f, TopK: 3), rng));
        Assert.Equal(new HashSet<int> { 1, 3, 5 }, seen);
    }

    [Fact]
    public void TemperatureSharpensAndFlattens()
    {
        var s = new TextSampler(new CharLstmInference(Model()));
        var logits = new float[] { 2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f };
        int Count(float temp)
        {
            var rng = new Rng(4);
            int hits = 0;
            for (int i = 0; i < 4000; i++) if (s.Choose(logits, new Decoding(temp), rng) == 0) hits++;
            return hits;
        }
        // P(0) = e²/(e² + 11) ≈ 0.40 at T=1; ≈ 0.995 at T=0.25; ≈ 0.12 at T=10
        Assert.InRange(Count(1f), 1400, 1800);
        Assert.InRange(Count(0.25f), 3900, 4000);
        Assert.InRange(Count(10f), 300, 650);
    }

    [Fact]
    public void PromptStateIsCarriedLikeFeedingThePromptThenSampling()
    {
        var m = Model();
        var prompt = new[] { 4, 5, 6, 7 };
        var s = new TextSampler(new CharLstmInference(m));
        var out1 = new int[50];
        s.Generate(prompt, out1, new Decoding(0.8f), new Rng(11));

        // by hand: feed the prompt, then feed each drawn character, with the same generator
        var net = new CharLstmInference(m);
        var chooser = new TextSampler(new CharLstmInference(m));
        var rng = new Rng(11);
        ReadOnlySpan<float> logits = default;
        foreach (int p in prompt) logits = net.Step(p);
        for (int i = 0; i < 50; i++)
        {
            int next = chooser.Choose(logits, new Decoding(0.8f), rng);
            Assert.Equal(next, out1[i]);
            logits = net.Step(next);
        }
    }
}
