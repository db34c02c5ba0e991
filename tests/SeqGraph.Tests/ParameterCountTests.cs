using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;

namespace SeqGraph.Tests;

public class ParameterCountTests
{
    [Theory]
    [InlineData(10, 128, 10)]
    [InlineData(3, 7, 2)]
    public void LstmMatchesTheClosedForm(int d, int n, int k)
    {
        var m = new SequenceClassifier(CellType.Lstm, d, k, n, new Rng(0));
        Assert.Equal(4L * n * (d + n + 1) + (long)k * (n + 1), m.ParameterCount);
    }

    [Theory]
    [InlineData(CellType.Rnn, 10, 128, 10, 128L * (10 + 128 + 1) + 10 * 129)]
    [InlineData(CellType.Gru, 10, 16, 4, 3L * 16 * (10 + 16 + 1) + 4 * 17)]
    [InlineData(CellType.PeepholeLstm, 3, 5, 2, 4L * 5 * (3 + 1) + 3 * 5 * 5 + 2 * 6)]
    public void OtherCellsMatchTheirClosedForms(CellType cell, int d, int n, int k, long expected)
    {
        var m = new SequenceClassifier(cell, d, k, n, new Rng(0));
        Assert.Equal(expected, m.ParameterCount);
        Assert.Equal(expected, SequenceClassifier.ClosedFormParameters(cell, d, k, n));
    }

    [Fact]
    public void BidirectionalStackedWithEmbedding()
    {
        var m = new SequenceClassifier(CellType.Lstm, 11, 5, 8, new Rng(0), embedDim: 4, layers: 2, bidirectional: true);
        long expected = 11 * 4 + 2 * 4 * 8 * (4 + 8 + 1) + 2 * 4 * 8 * (16 + 8 + 1) + 5 * (16 + 1);
        Assert.Equal(expected, m.ParameterCount);
        Assert.Equal(expected, SequenceClassifier.ClosedFormParameters(CellType.Lstm, 11, 5, 8, 4, 2, true));
        Assert.Contains(m.NamedParameters(), p => p.Name == "rnn.weight_hh_l1_reverse");
        Assert.Contains(m.NamedParameters(), p => p.Name == "embedding.weight");
    }
}
