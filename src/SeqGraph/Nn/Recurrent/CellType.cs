namespace SeqGraph.Nn.Recurrent;

/// <summary>The recurrent cells SeqGraph implements.</summary>
public enum CellType
{
    /// <summary>Vanilla (Elman) RNN with tanh.</summary>
    Rnn,
    /// <summary>LSTM.</summary>
    Lstm,
    /// <summary>Peephole LSTM of SPEC.md (gates read the cell).</summary>
    PeepholeLstm,
    /// <summary>GRU in the original (Cho et al.) form.</summary>
    Gru,
}
