using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Interop.PyTorch;

/// <summary>
/// The char-LSTM as a PyTorch module <c>Model</c> with submodules <c>embedding</c>
/// (<c>nn.Embedding(V, E)</c>), <c>lstm</c> (<c>nn.LSTM(E, H, num_layers=L, dropout=p)</c>, time-first,
/// gates i|f|g|o as ours) and <c>head</c> (<c>nn.Linear(H, V)</c>): logits = head(lstm(embedding(tokens))[0]).
/// Export writes our single bias as <c>bias_ih_l{k}</c> and zeros as <c>bias_hh_l{k}</c>;
/// import (<see cref="CharLstmImport"/>) adds the two.
/// </summary>
public static class CharLstmPyTorch
{
    /// <summary>The state_dict and description of a trained char-LSTM.</summary>
    public static PyTorchStateDict Export(TextModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.Model;
        var c = m.Config;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["embedding.weight"] = m.Embedding.Weight.Clone() };
        PyTorchModules.AddRecurrent(tensors, m.Lstm, "lstm.");
        tensors["head.weight"] = m.Head.Weight.Clone();
        tensors["head.bias"] = m.Head.Bias!.Clone();
        var d = PyTorchModules.Header(TextCheckpoint.Kind);
        d["modules"] = new JsonObject
        {
            ["embedding"] = PyTorchModules.Embedding(m.Embedding),
            ["lstm"] = PyTorchModules.Recurrent(m.Lstm, "char-lstm"),
            ["head"] = PyTorchModules.Linear(m.Head),
        };
        d["vocabulary"] = new JsonArray(model.Vocabulary.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        d["vocabulary_text"] = TextCorpus.Decode(model.Vocabulary, Enumerable.Range(0, c.Vocabulary).ToArray());
        d["forward"] = Forward;
        d["step"] = model.Step;
        return new PyTorchStateDict(tensors, d, Describe(c), m.ParameterCount, new[]
        {
            "build: embedding = nn.Embedding(V, E); lstm = nn.LSTM(E, H, num_layers=L, dropout=p); head = nn.Linear(H, V); then load_state_dict(strict=True)",
            "input: token indices [T, B] (time-first); symbol i is vocabulary[i]; state (h, c) each [L, B, H], zeros at the start",
            PyTorchModules.BiasNote,
        });
    }

    /// <summary>What the description's <c>"forward"</c> says.</summary>
    public const string Forward = "tokens: int64 [T, B] indices into vocabulary (time-first, batch_first false); x = embedding(tokens); " +
        "out, (h, c) = lstm(x, (h0, c0)) with h0, c0 zeros [L, B, H] at the start of a text; logits = head(out) [T, B, V]; the next symbol is softmax(logits[-1])";

    /// <summary>"2-layer LSTM, embedding 64, hidden 128, vocabulary 71".</summary>
    public static string Describe(CharLstmConfig c) => $"char-LSTM: {c.Layers}-layer LSTM, embedding {c.Embed}, hidden {c.Hidden}, vocabulary {c.Vocabulary}";
}
