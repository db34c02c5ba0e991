using SeqGraph.Training;

namespace SeqGraph.Interop.Onnx;

/// <summary>The char-LSTM of <c>text train</c> as ONNX (to be written).</summary>
public static class CharLstmOnnx
{
    /// <summary>Translates <paramref name="model"/>.</summary>
    public static OnnxExport Build(TextModel model) => throw new NotImplementedException("char-LSTM ONNX export");
}
