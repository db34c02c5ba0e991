using SeqGraph.Data;
using SeqGraph.Training;

namespace SeqGraph.Interop.Onnx;

/// <summary>GCN/GAT of <c>graph train</c>, with the graph they were trained on, as ONNX (to be written).</summary>
public static class NodeClassifierOnnx
{
    /// <summary>Translates <paramref name="saved"/> for the graph of <paramref name="data"/>.</summary>
    public static OnnxExport Build(SavedNodeModel saved, CitationGraph data) => throw new NotImplementedException("graph ONNX export");
}
