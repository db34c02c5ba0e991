namespace SeqGraph.Nn.Recurrent;

/// <summary>Sizes of a <see cref="CharLstm"/>.</summary>
/// <param name="Vocabulary">Symbols in and out.</param>
/// <param name="Embed">Embedding size.</param>
/// <param name="Hidden">LSTM units per layer.</param>
/// <param name="Layers">Stacked LSTM layers.</param>
/// <param name="Dropout">Dropout between LSTM layers (training only).</param>
public sealed record CharLstmConfig(int Vocabulary, int Embed = 64, int Hidden = 128, int Layers = 2, float Dropout = 0f);
