using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Training;

/// <summary>A character model loaded for sampling or evaluation.</summary>
/// <param name="Model">The model with its trained weights.</param>
/// <param name="Vocabulary">Scalar value of each symbol, increasing.</param>
/// <param name="Step">Training steps behind the weights.</param>
/// <param name="Config">The run's settings.</param>
public sealed record TextModel(CharLstm Model, int[] Vocabulary, int Step, TextTrainConfig Config);
