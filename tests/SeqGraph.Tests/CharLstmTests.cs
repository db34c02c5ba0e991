using SeqGraph.Autograd;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

public class CharLstmTests
{
    private static readonly CharLstmConfig Small = new(Vocabulary: 7, Embed: 5, Hidden: 6, Layers: 2);

    [Fact]
    public void ParameterNamesAreTorchNamesAndCountMatchesClosedForm()
    {
        var m = new CharLstm(Small, 1);
        Assert.Equal(new[] { "embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
            "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "head.weight", "head.bias" },
            m.NamedParameters().Select(p => p.Name));
        Assert.Equal(7 * 5 + 4 * 6 * (5 + 6 + 1) + 4 * 6 * (6 + 6 + 1) + 7 * (6 + 1), m.ParameterCount);
        Assert.Equal(m.ParameterCount, CharLstm.ClosedFormParameters(Small));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var m = new CharLstm(Small, 2);
        var rng = new Rng(5);
        int T = 4, B = 3;
        var x = Enumerable.Range(0, T * B).Select(_ => rng.NextInt(7)).ToArray();
        var y = Enumerable.Range(0, T * B).Select(_ => rng.NextInt(7)).ToArray();
        var result = GradCheck.Check(() => m.Loss(x, y, T, B).Loss, m.Parameters().ToList(), eps: 1e-2f, atol: 2e-3, rtol: 2e-2, maxElements: 20);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void LossIsMeanCrossEntropyOverAllSteps()
    {
        var m = new CharLstm(Small, 3);
        int T = 3, B = 2;
        var x = new[] { 0, 1, 2, 3, 4, 5 };
        var y = new[] { 1, 2, 3, 4, 5, 6 };
        var (logits, _) = m.Forward(x, T, B);
        double expected = 0;
        for (int r = 0; r < T * B; r++)
        {
            var row = logits.Data.AsSpan(r * 7, 7);
            expected += SeqGraph.Tensors.Softmax.LogSumExp(row) - row[y[r]];
        }
        Assert.Equal(expected / (T * B), m.Loss(x, y, T, B).Loss.Item(), 5);
    }

    // hidden 40 = 16·2 + 8, 31 = 16 + 8 + 4 + 3, 7 = 4 + 3, 64 = 16·4: every width of the shared
    // LSTM cell and its remainders
    [Theory]
    [InlineData(40)]
    [InlineData(31)]
    [InlineData(7)]
    [InlineData(64)]
    public void FastPathLogitsEqualTrainingPathLogits(int hidden)
    {
        var m = new CharLstm(new CharLstmConfig(11, 8, hidden, 3), 4);
        var seq = new[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4 };
        float[] logits;
        using (Tape.NoGrad()) logits = m.Forward(seq, seq.Length, 1).Logits.Data;
        var fast = new CharLstmInference(m);
        double worst = 0;
        for (int t = 0; t < seq.Length; t++)
        {
            var l = fast.Step(seq[t]);
            for (int v = 0; v < 11; v++) worst = Math.Max(worst, Math.Abs(logits[t * 11 + v] - l[v]));
        }
        // the cell is the training pass's own, so only the GEMV's summation order differs from the
        // GEMM's (≈4e-8 measured; 1e-5 while the sampler had a cell of its own)
        Assert.True(worst <= 5e-7, $"max |sampler − training| = {worst:G3}");
        fast.Reset();
        Assert.Equal(logits[0], fast.Step(seq[0])[0], 1e-5f);
    }

    [Fact]
    public void LargeFastPathSplitOverThreadsGivesIdenticalLogits()
    {
        // hidden 260: 4H·H and 4H·2H are large enough for the GEMVs to run in parts, and 4H = 1040
        // rows do not divide evenly between 3 threads
        var m = new CharLstm(new CharLstmConfig(13, 8, 260, 2), 5);
        var seq = new[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 12 };
        float[] logits;
        using (Tape.NoGrad()) logits = m.Forward(seq, seq.Length, 1).Logits.Data;
        var runs = new[] { 1, 2, 3 }.Select(threads =>
        {
            using (Parallelism.Use(threads)) using (SplitChoice.AlwaysSplit())
            {
                var fast = new CharLstmInference(m);
                return seq.SelectMany(c => fast.Step(c).ToArray()).ToArray();
            }
        }).ToList();
        Assert.Equal(runs[0], runs[1]);
        Assert.Equal(runs[0], runs[2]);
        for (int i = 0; i < logits.Length; i++) Assert.Equal(logits[i], runs[1][i], 1e-4f);
    }
}
