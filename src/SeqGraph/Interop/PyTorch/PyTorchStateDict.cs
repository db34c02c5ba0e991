using System.Text.Json.Nodes;
using SeqGraph.Tensors;

namespace SeqGraph.Interop.PyTorch;

/// <summary>
/// A model translated into PyTorch's terms: the tensors of its <c>state_dict()</c> under PyTorch's
/// names (nothing else: no optimizer state), and the JSON description of the modules to build.
/// </summary>
/// <param name="Tensors">Name → tensor, exactly the keys PyTorch's module has.</param>
/// <param name="Description">The JSON written next to the tensors (see <see cref="PyTorchModules.FormatName"/>).</param>
/// <param name="Model">The model in words ("2-layer LSTM, hidden 128, vocabulary 71").</param>
/// <param name="Parameters">Parameters of the SeqGraph model (PyTorch's have one bias_hh more per layer and direction).</param>
/// <param name="Notes">What a user of the files should know.</param>
public sealed record PyTorchStateDict(
    IReadOnlyDictionary<string, Tensor> Tensors, JsonObject Description, string Model, long Parameters, string[] Notes);
