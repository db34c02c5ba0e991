using SeqGraph.Interop.Onnx.Proto;

namespace SeqGraph.Interop.Onnx;

/// <summary>A model translated to ONNX, ready to save with <see cref="OnnxGraphBuilder.Save"/>.</summary>
/// <param name="Model">The ONNX model.</param>
/// <param name="Description">The model in words ("2-layer LSTM, hidden 128, vocabulary 71").</param>
/// <param name="Parameters">Parameters of the SeqGraph model it came from.</param>
/// <param name="Notes">What a caller should know (inputs, how state is carried, what was left out and why).</param>
public sealed record OnnxExport(ModelProto Model, string Description, long Parameters, string[] Notes);
