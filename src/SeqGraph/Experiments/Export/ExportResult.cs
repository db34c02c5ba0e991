namespace SeqGraph.Experiments.Export;

/// <summary>What <c>seqgraph export</c> wrote.</summary>
/// <param name="Checkpoint">The checkpoint folder read.</param>
/// <param name="Kind">The checkpoint's kind ("char-lstm", "rnn-classifier", "node-classifier").</param>
/// <param name="Model">The model in words ("2-layer LSTM, hidden 128, vocabulary 71").</param>
/// <param name="Format">The format written.</param>
/// <param name="Files">The files written (the model; for PyTorch also its JSON description).</param>
/// <param name="Bytes">Size of the main file.</param>
/// <param name="Parameters">Parameters of the model.</param>
/// <param name="Inputs">The exported model's inputs (ONNX), or the tensors' names and shapes (PyTorch, in <paramref name="Outputs"/>).</param>
/// <param name="Outputs">Its outputs (ONNX), or the state_dict's tensors (PyTorch).</param>
/// <param name="Notes">What a user of the file should know (how state is carried, what is left out).</param>
public sealed record ExportResult(
    string Checkpoint = "", string Kind = "", string Model = "", ExportFormat Format = ExportFormat.Onnx,
    string[] Files = null!, long Bytes = 0, long Parameters = 0,
    ExportedValue[] Inputs = null!, ExportedValue[] Outputs = null!, string[] Notes = null!);
