using System.Text.Json.Nodes;
using SeqGraph.Tensors;

namespace SeqGraph.IO;

/// <summary>What <see cref="Checkpoint.Load"/> returns.</summary>
/// <param name="Tensors">Every tensor of <c>model.safetensors</c>, as float32, by name.</param>
/// <param name="Sidecar">The <c>model.json</c> object, including the reserved keys written by <see cref="Checkpoint.Save"/>.</param>
/// <param name="Metadata">The safetensors <c>__metadata__</c> strings.</param>
public sealed record CheckpointData(Dictionary<string, Tensor> Tensors, JsonObject Sidecar, IReadOnlyDictionary<string, string> Metadata);
