using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Interop.PyTorch;

/// <summary>A char-LSTM read from a PyTorch state_dict.</summary>
/// <param name="Model">The model, PyTorch's two biases added into ours.</param>
/// <param name="Vocabulary">Scalar value of each symbol, increasing.</param>
/// <param name="Tensors">The state_dict's tensor names, in file order.</param>
/// <param name="BiasHhFolded">True when some <c>bias_hh_l{k}</c> was non-zero (and so was added into <c>bias_ih_l{k}</c>).</param>
/// <param name="Notes">What the import changed or ignored.</param>
public sealed record ImportedCharLstm(CharLstm Model, int[] Vocabulary, string[] Tensors, bool BiasHhFolded, string[] Notes);
