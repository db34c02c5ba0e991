using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Interop.Onnx;

/// <summary>The sequence classifiers of <c>rnn train</c> as ONNX (to be written).</summary>
public static class SequenceClassifierOnnx
{
    /// <summary>Translates <paramref name="model"/>.</summary>
    public static OnnxExport Build(SequenceClassifier model) => throw new NotImplementedException("classifier ONNX export");
}
