namespace SeqGraph.Experiments.Export;

/// <summary>What <c>seqgraph export</c> writes, by its command-line name.</summary>
public enum ExportFormat
{
    /// <summary>An ONNX model (standard operators, opset 18) for ONNX Runtime and other ONNX tools.</summary>
    Onnx,
    /// <summary>A PyTorch state_dict as safetensors, plus a JSON file naming the modules and sizes to build.</summary>
    Pytorch,
}
