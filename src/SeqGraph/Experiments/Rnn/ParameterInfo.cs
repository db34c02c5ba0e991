namespace SeqGraph.Experiments.Rnn;

/// <summary>One parameter tensor of a model.</summary>
/// <param name="Name">Its PyTorch-style name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Count">Its number of values.</param>
public sealed record ParameterInfo(string Name, int[] Shape, long Count);
