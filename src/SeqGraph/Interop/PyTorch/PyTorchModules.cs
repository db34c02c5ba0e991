using System.Text.Json.Nodes;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;

namespace SeqGraph.Interop.PyTorch;

/// <summary>
/// The pieces shared by the PyTorch translations: the JSON description's format name, the entries
/// for <c>nn.Embedding</c>, <c>nn.LSTM</c>/<c>nn.RNN</c> and <c>nn.Linear</c>, and a recurrent stack's
/// tensors with PyTorch's second bias (<c>bias_hh_*</c>, zeros: our single bias is PyTorch's sum).
/// </summary>
public static class PyTorchModules
{
    /// <summary>The description's <c>"format"</c>.</summary>
    public const string FormatName = "seqgraph-pytorch";

    /// <summary>The description's <c>"format_version"</c> written (and the highest read).</summary>
    public const int FormatVersion = 1;

    /// <summary>The note every export carries about the second bias.</summary>
    public const string BiasNote = "bias_hh_* are zeros: SeqGraph keeps one bias per gate, written as bias_ih_* (PyTorch adds the two, so the sum is the same)";

    /// <summary>The <c>nn.Embedding</c> entry.</summary>
    public static JsonObject Embedding(Embedding e) => new()
    {
        ["class"] = "torch.nn.Embedding", ["num_embeddings"] = e.Weight.Dim(0), ["embedding_dim"] = e.Weight.Dim(1),
    };

    /// <summary>The <c>nn.Linear</c> entry.</summary>
    public static JsonObject Linear(Linear l) => new()
    {
        ["class"] = "torch.nn.Linear", ["in_features"] = l.Weight.Dim(1), ["out_features"] = l.Weight.Dim(0), ["bias"] = l.Bias is not null,
    };

    /// <summary>
    /// The <c>nn.LSTM</c> or <c>nn.RNN</c> (tanh) entry of a recurrent stack; a GRU or a peephole
    /// LSTM (no PyTorch module computes the same function) is an <see cref="InvalidDataException"/>
    /// starting with <paramref name="context"/>.
    /// </summary>
    public static JsonObject Recurrent(Recurrent r, string context)
    {
        ArgumentNullException.ThrowIfNull(r);
        var o = new JsonObject { ["class"] = ClassOf(r.Cell, context) };
        if (r.Cell == CellType.Rnn) o["nonlinearity"] = "tanh";
        o["input_size"] = r.InputSize;
        o["hidden_size"] = r.HiddenSize;
        o["num_layers"] = r.NumLayers;
        o["bias"] = true;
        o["batch_first"] = false;
        o["dropout"] = r.Dropout;
        o["bidirectional"] = r.Bidirectional;
        return o;
    }

    private static string ClassOf(CellType cell, string context) => cell switch
    {
        CellType.Lstm => "torch.nn.LSTM",
        CellType.Rnn => "torch.nn.RNN",
        CellType.Gru => throw new InvalidDataException($"{context}: a GRU model has no PyTorch state_dict: SeqGraph's GRU is Cho et al.'s form (the reset gate multiplies h(t-1) before the recurrent product) and torch.nn.GRU resets after it, so its weights would compute something else; export it with --format onnx"),
        CellType.PeepholeLstm => throw new InvalidDataException($"{context}: a peephole LSTM has no PyTorch state_dict: its gates read c(t-1) through a full matrix (weight_ch), which torch.nn.LSTM does not have; export it with --format onnx"),
        _ => throw new InvalidDataException($"{context}: cell {cell} has no PyTorch module"),
    };

    /// <summary>
    /// Adds the stack's tensors under <paramref name="prefix"/> ("lstm.") to <paramref name="into"/>,
    /// each <c>bias_ih_*</c> followed by a zero <c>bias_hh_*</c> of its shape.
    /// </summary>
    public static void AddRecurrent(IDictionary<string, Tensor> into, Recurrent r, string prefix)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(r);
        foreach (var (name, t) in r.NamedParameters())
        {
            into[prefix + name] = t.Clone();
            if (name.StartsWith("bias_ih", StringComparison.Ordinal))
                into[prefix + "bias_hh" + name["bias_ih".Length..]] = Tensor.Zeros(t.Shape);
        }
    }

    /// <summary>The start of every description: format, version and kind.</summary>
    public static JsonObject Header(string kind) => new() { ["format"] = FormatName, ["format_version"] = FormatVersion, ["kind"] = kind };
}
