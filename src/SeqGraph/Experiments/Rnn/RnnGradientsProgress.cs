using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>Progress of <c>rnn gradients</c>: units of work done (per model: two measurements and its training steps) out of <see cref="Total"/>.</summary>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in the whole run.</param>
/// <param name="Model">The model being measured or trained.</param>
/// <param name="Step">Its training step (0 while measuring).</param>
public sealed record RnnGradientsProgress(long Done, long Total, RecurrentModel Model, int Step);
