namespace SeqGraph.Experiments.Export;

/// <summary>What <c>seqgraph import</c> read and wrote.</summary>
/// <param name="StateDict">The state_dict read.</param>
/// <param name="Description">Its JSON description.</param>
/// <param name="Checkpoint">The checkpoint folder written.</param>
/// <param name="Kind">The checkpoint's kind ("char-lstm").</param>
/// <param name="Model">The model in words.</param>
/// <param name="Parameters">Parameters of the SeqGraph model.</param>
/// <param name="Vocabulary">The vocabulary as text.</param>
/// <param name="Tensors">The state_dict's tensors read.</param>
/// <param name="BiasHhFolded">Some bias_hh was non-zero and was added into the single bias.</param>
/// <param name="Files">The files written.</param>
/// <param name="Notes">What the import changed or ignored, and how to use the checkpoint.</param>
public sealed record ImportResult(
    string StateDict = "", string Description = "", string Checkpoint = "", string Kind = "", string Model = "", long Parameters = 0,
    string Vocabulary = "", string[] Tensors = null!, bool BiasHhFolded = false, string[] Files = null!, string[] Notes = null!);
