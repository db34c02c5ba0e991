using SeqGraph.Autograd;
using SeqGraph.Nn;
using SeqGraph.Random;
using SeqGraph.Tensors;
using static SeqGraph.Autograd.Ops;

namespace CoupledLstm;

// <snippet cell>
/// <summary>
/// An LSTM with coupled input and forget gates (CIFG; Greff et al., "LSTM: A Search Space
/// Odyssey", 2017): the forget gate is 1 − i, so the cell has three gates instead of four.
/// Tokens are embedded, the cell runs over the sequence, and a linear head reads the last h.
/// Everything is written with autograd ops; the tape differentiates it.
/// </summary>
public sealed class CoupledLstmClassifier : SequenceModel
{
    private readonly Embedding _embedding;
    private readonly Tensor _wIh, _wHh, _b;   // gates packed i | g | o
    private readonly Linear _head;
    private readonly int _hidden;

    public CoupledLstmClassifier(int vocabulary, int classes, int embed, int hidden, Rng rng)
    {
        _hidden = hidden;
        float k = 1f / MathF.Sqrt(hidden);      // PyTorch's LSTM initialisation range
        _embedding = RegisterModule("embedding", new Embedding(vocabulary, embed, rng));
        _wIh = RegisterParameter("cell.weight_ih", Tensor.Uniform(rng, -k, k, 3 * hidden, embed));
        _wHh = RegisterParameter("cell.weight_hh", Tensor.Uniform(rng, -k, k, 3 * hidden, hidden));
        _b = RegisterParameter("cell.bias", Tensor.Uniform(rng, -k, k, 3 * hidden));
        _head = RegisterModule("head", new Linear(hidden, classes, rng));
    }

    /// <summary>One step: h, c from x [B, E] and the previous h, c [B, H].</summary>
    private (Tensor H, Tensor C) Cell(Tensor x, Tensor h, Tensor c)
    {
        var pre = Chunk(Linear(x, _wIh, _b) + MatMul(h, _wHh, false, true), 3);
        var i = Sigmoid(pre[0]);                 // input gate
        var g = Tanh(pre[1]);                    // candidate
        var o = Sigmoid(pre[2]);                 // output gate
        var cNext = g * i + c * (1f - i);        // the forget gate is 1 − i
        return (Tanh(cNext) * o, cNext);
    }

    public override Tensor Forward(ReadOnlySpan<int> batchFirstTokens, int batch, int length)
    {
        var h = Tensor.Zeros(batch, _hidden);
        var c = Tensor.Zeros(batch, _hidden);
        var step = new int[batch];
        for (int t = 0; t < length; t++)
        {
            for (int b = 0; b < batch; b++) step[b] = batchFirstTokens[b * length + t];
            (h, c) = Cell(_embedding.Forward(step, batch), h, c);
        }
        return _head.Forward(h);
    }
}
// </snippet>
