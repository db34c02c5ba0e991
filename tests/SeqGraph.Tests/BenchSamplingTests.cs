using System.Numerics.Tensors;
using SeqGraph.Autograd;
using SeqGraph.Experiments.Bench;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// <see cref="TextBench.SampleCharsPerSecond"/>, the sampling figure of <c>bench text</c> and the
/// SeqGraph side of the ONNX Runtime anchor (bench/OnnxAnchor), which compares its text with ONNX
/// Runtime's character for character: it must generate what <see cref="TextSampler"/> generates.
/// </summary>
public class BenchSamplingTests
{
    private static readonly CharLstmConfig Config = new(Vocabulary: 13, Embed: 8, Hidden: 24, Layers: 2);

    /// <summary>A random model whose weights are large enough that the next symbol depends on the input
    /// (at the default initialisation the head's bias alone decides most arg-maxes).</summary>
    private static CharLstm Model(ulong seed)
    {
        var model = new CharLstm(Config, seed);
        foreach (var p in model.Parameters()) TensorPrimitives.Multiply(p.Data, 6f, p.Data);
        return model;
    }

    [Fact]
    public void GreedyFigureGeneratesTheSamplersTextFromSymbolZero()
    {
        var model = Model(4);
        var text = new int[1500];
        double cps = TextBench.SampleCharsPerSecond(model, text, Decoding.Greedy);
        Assert.True(cps > 0 && double.IsFinite(cps), $"chars/s {cps}");

        var expected = new int[text.Length];
        new TextSampler(new CharLstmInference(model)).Generate([0], expected, Decoding.Greedy, new Rng(99));
        Assert.Equal(expected, text);
        var fromOne = new int[text.Length];
        new TextSampler(new CharLstmInference(model)).Generate([1], fromOne, Decoding.Greedy, new Rng(99));
        Assert.NotEqual(fromOne, text);   // the comparison above can tell the prompt

        // independently of the sampler: the first symbol is the arg-max of the tape forward after symbol 0,
        // and the second the arg-max after feeding it back with the carried state
        using var noGrad = Tape.NoGrad();
        var (first, state) = model.Forward([0], 1, 1);
        Assert.Equal(TensorPrimitives.IndexOfMax(first.Data), text[0]);
        var (second, _) = model.Forward([text[0]], 1, 1, state);
        Assert.Equal(TensorPrimitives.IndexOfMax(second.Data), text[1]);
    }

    [Fact]
    public void SampledFigureDrawsFromGeneratorOne()
    {
        var model = Model(5);
        var text = new int[800];
        TextBench.SampleCharsPerSecond(model, text, new Decoding(1f));
        var expected = new int[text.Length];
        new TextSampler(new CharLstmInference(model)).Generate([0], expected, new Decoding(1f), new Rng(1));
        Assert.Equal(expected, text);
        Assert.True(text.Distinct().Count() > 3, "temperature 1 on a random model draws many symbols");
    }
}
