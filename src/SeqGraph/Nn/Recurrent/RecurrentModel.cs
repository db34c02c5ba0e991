namespace SeqGraph.Nn.Recurrent;

/// <summary>The recurrent models of the memorization experiments, by their command-line names (rnn, lstm, peephole-lstm, gru, bilstm).</summary>
public enum RecurrentModel
{
    /// <summary>Vanilla (Elman) RNN with tanh.</summary>
    Rnn,
    /// <summary>LSTM (gates i|f|g|o).</summary>
    Lstm,
    /// <summary>The peephole LSTM of SPEC.md: gates read c(t−1) instead of h(t−1).</summary>
    PeepholeLstm,
    /// <summary>GRU in Cho et al.'s form.</summary>
    Gru,
    /// <summary>Bidirectional LSTM; the head reads [h_fwd(T); h_bwd(1)].</summary>
    Bilstm,
}
