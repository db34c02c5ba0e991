using System.Text.Json.Nodes;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;

namespace SeqGraph.Interop.PyTorch;

/// <summary>
/// The sequence classifiers of <c>rnn train</c> as a PyTorch module with submodules
/// <c>embedding</c> (<c>nn.Embedding</c>, absent for one-hot input), <c>rnn</c> (<c>nn.RNN</c> with
/// tanh or <c>nn.LSTM</c>, possibly bidirectional: <c>_reverse</c> names) and <c>head</c>
/// (<c>nn.Linear</c> on the last state). GRU and peephole LSTM are refused (no PyTorch module has their maths).
/// </summary>
public static class ClassifierPyTorch
{
    /// <summary>The description's <c>"kind"</c> (the checkpoint's).</summary>
    public const string Kind = "rnn-classifier";

    /// <summary>The state_dict and description of a trained classifier; <paramref name="context"/> (the checkpoint) starts any error.</summary>
    public static PyTorchStateDict Export(SequenceClassifier model, string context)
    {
        ArgumentNullException.ThrowIfNull(model);
        var r = model.Rnn;
        var modules = new JsonObject();
        var rnnJson = PyTorchModules.Recurrent(r, context); // refuses GRU / peephole before anything else
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (model.Embedding is { } e)
        {
            tensors["embedding.weight"] = e.Weight.Clone();
            modules["embedding"] = PyTorchModules.Embedding(e);
        }
        PyTorchModules.AddRecurrent(tensors, r, "rnn.");
        tensors["head.weight"] = model.Head.Weight.Clone();
        tensors["head.bias"] = model.Head.Bias!.Clone();
        modules["rnn"] = rnnJson;
        modules["head"] = PyTorchModules.Linear(model.Head);
        var d = PyTorchModules.Header(Kind);
        d["modules"] = modules;
        d["input"] = model.Embedding is null ? "one-hot" : "embedding";
        d["vocabulary_size"] = model.Vocabulary;
        d["classes"] = model.Head.Weight.Dim(0);
        string x = model.Embedding is null ? $"x = one_hot(tokens, {model.Vocabulary}).float()" : "x = embedding(tokens)";
        string last = r.Bidirectional ? "h = cat(out[-1, :, :H], out[0, :, H:]) (forward direction after the last step, backward after the first)" : "h = out[-1]";
        d["forward"] = $"tokens: int64 [T, B] symbol indices (time-first, batch_first false); {x}; out, _ = rnn(x) from a zero state; {last}; logits = head(h) [B, classes]";
        string what = Onnx.SequenceClassifierOnnx.Describe(model);
        return new PyTorchStateDict(tensors, d, what, model.ParameterCount, new[]
        {
            $"build: {(model.Embedding is null ? "" : "embedding = nn.Embedding(V, E); ")}rnn = {rnnJson["class"]}(...) as in modules.rnn; head = nn.Linear(...); then load_state_dict(strict=True)",
            "input: token indices [T, B] (time-first); the head reads the last state (see \"forward\")",
            PyTorchModules.BiasNote,
        });
    }
}
