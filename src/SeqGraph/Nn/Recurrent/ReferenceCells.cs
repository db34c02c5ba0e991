using SeqGraph.Autograd;
using SeqGraph.Tensors;
using static SeqGraph.Autograd.Ops;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The reference cells: one time step of each model written from the equations in SPEC.md with
/// primitive tensor ops, differentiated by the tape. Readable, slow, and the yardstick the fused
/// layers are tested against. Weights are packed as in the fused layers (see each cell).
/// x is [B, D], h and c are [B, H].
/// </summary>
public static class ReferenceCells
{
    /// <summary>Vanilla RNN: h(t) = tanh(Whx x(t) + Whh h(t−1) + bh).</summary>
    public static Tensor Rnn(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor b)
    {
        return Tanh(Linear(x, wIh, b) + MatMul(h, wHh, false, true));
    }

    /// <summary>LSTM, gates packed i|f|g|o (PyTorch's order).</summary>
    public static (Tensor H, Tensor C) Lstm(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor b)
    {
        var pre = Chunk(Linear(x, wIh, b) + MatMul(h, wHh, false, true), 4);   // W·x + W·h(t−1) + b, per gate
        var i = Sigmoid(pre[0]);                 // i = σ(Wix x + Wih h(t−1) + bi)
        var f = Sigmoid(pre[1]);                 // f = σ(Wfx x + Wfh h(t−1) + bf)
        var g = Tanh(pre[2]);                    // g = tanh(Wgx x + Wgh h(t−1) + bg)
        var o = Sigmoid(pre[3]);                 // o = σ(Wox x + Woh h(t−1) + bo)
        var cNext = g * i + c * f;               // c(t) = g⊙i + c(t−1)⊙f
        var hNext = Tanh(cNext) * o;             // h(t) = tanh(c(t))⊙o
        return (hNext, cNext);
    }

    /// <summary>
    /// Peephole LSTM of SPEC.md (the gates look at the cell, not at h), packed i|f|o|g; W_ch [3H, H]
    /// feeds c(t−1) to i, f and o; the candidate g has no recurrent term.
    /// </summary>
    public static (Tensor H, Tensor C) PeepholeLstm(Tensor x, Tensor c, Tensor wIh, Tensor wCh, Tensor b)
    {
        var px = Chunk(Linear(x, wIh, b), 4);            // Wix x + bi | Wfx x + bf | Wox x + bo | Wcx x + bc
        var pc = Chunk(MatMul(c, wCh, false, true), 3);  // Wih c(t−1) | Wfh c(t−1) | Woh c(t−1)
        var i = Sigmoid(px[0] + pc[0]);          // i = σ(Wix x + Wih c(t−1) + bi)
        var f = Sigmoid(px[1] + pc[1]);          // f = σ(Wfx x + Wfh c(t−1) + bf)
        var o = Sigmoid(px[2] + pc[2]);          // o = σ(Wox x + Woh c(t−1) + bo)
        var cNext = Sigmoid(px[3]) * i + c * f;  // c(t) = σ(Wcx x + bc)⊙i + c(t−1)⊙f
        var hNext = Tanh(cNext) * o;             // h(t) = tanh(c(t))⊙o
        return (hNext, cNext);
    }

    /// <summary>GRU of SPEC.md (Cho et al.: reset applied before the product), packed r|z|n.</summary>
    public static Tensor Gru(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor b)
    {
        int hidden = h.Dim(-1);
        var px = Chunk(Linear(x, wIh, b), 3);                              // Wrx x + br | Wzx x + bz | Wx x + bn
        var wh = Split(wHh, 0, 2 * hidden, hidden);                        // [Wrh; Wzh] | Wh
        var ph = Chunk(MatMul(h, wh[0], false, true), 2);                  // Wrh h | Wzh h
        var z = Sigmoid(px[1] + ph[1]);                                    // z = σ(Wz[h(t−1), x])
        var r = Sigmoid(px[0] + ph[0]);                                    // r = σ(Wr[h(t−1), x])
        var hTilde = Tanh(px[2] + MatMul(r * h, wh[1], false, true));      // h̃ = tanh(W[r⊙h(t−1), x])
        return (1f - z) * h + z * hTilde;                                  // h(t) = (1−z)⊙h(t−1) + z⊙h̃
    }
}
