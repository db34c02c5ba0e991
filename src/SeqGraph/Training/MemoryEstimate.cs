using System.Globalization;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Training;

/// <summary>
/// The memory a run will need at its peak, by part, computed from its sizes alone (in double, so
/// no product can overflow) before any data or model is allocated, and checked against a limit
/// (<c>--max-memory</c>; by default ¾ of what .NET says is available). Within a factor of 2 of the
/// peak resident memory measured on real runs (docs/ARCHITECTURE.md, "Memory estimate").
/// </summary>
/// <param name="Parameters">Weights, their gradients and the kernels' packed copies, in bytes.</param>
/// <param name="OptimizerState">The optimizer's buffers (Adam: two per weight), in bytes.</param>
/// <param name="Activations">What one training step (or evaluation chunk) keeps for backward, in bytes.</param>
/// <param name="Data">The data held for the run (symbols, graph, features, generated text), in bytes.</param>
/// <param name="LargestTensor">Values in the largest single tensor or array (an array holds at most <see cref="Array.MaxLength"/>).</param>
public sealed record MemoryEstimate(double Parameters, double OptimizerState, double Activations, double Data, double LargestTensor)
{
    /// <summary>The runtime, the code and the small buffers every run has, in bytes.</summary>
    public const double Baseline = 96 << 20;

    /// <summary>The whole estimate in bytes.</summary>
    public double Total => Baseline + Parameters + OptimizerState + Activations + Data;

    /// <summary>The limit when none is given: ¾ of the memory .NET says is available (physical memory, or the container's limit).</summary>
    public static long DefaultLimit => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    /// <summary>
    /// Throws a <see cref="ConfigException"/> for <paramref name="option"/> (shown with its
    /// <paramref name="value"/>, the size most to blame) when the run needs more than
    /// <paramref name="maxMemory"/> bytes (null: <see cref="DefaultLimit"/>), or when one of its
    /// tensors could not be an array at all.
    /// </summary>
    public void Check(long? maxMemory, string option, long value) => Check(maxMemory, option, $"{option} {value.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>As <see cref="Check(long?, string, long)"/>, the message starting with <paramref name="at"/> (the option and what of it is to blame).</summary>
    public void Check(long? maxMemory, string option, string at)
    {
        if (LargestTensor > Array.MaxLength)
            throw new ConfigException(option, $"{at}: one tensor of this run would hold {LargestTensor:N0} values, more than the {Array.MaxLength:N0} an array can; use smaller sizes");
        long limit = maxMemory ?? DefaultLimit;
        if (Total <= limit) return;
        var parts = new (string Name, double Bytes)[] { ("parameters", Parameters), ("optimizer state", OptimizerState), ("activations", Activations), ("data", Data) }
            .Where(p => p.Bytes >= Total / 10).OrderByDescending(p => p.Bytes).Select(p => p.Name).DefaultIfEmpty("mostly the runtime itself");
        throw new ConfigException(option,
            $"{at}: this run needs about {Show(Total)} ({string.Join(", ", parts)}), more than --max-memory {Show(limit)}{(maxMemory is null ? " (the default: ¾ of the memory available)" : "")}; use smaller sizes or raise --max-memory");
    }

    /// <summary>
    /// The size most to blame, as <see cref="Check(long?, string, long)"/> names it: the one furthest above its default
    /// (by ratio); <paramref name="sizes"/> are (option, value, default value).
    /// </summary>
    public static (string Option, long Value) Culprit(params (string Option, long Value, long Default)[] sizes)
    {
        var best = sizes[0];
        foreach (var s in sizes)
            if ((double)s.Value / Math.Max(1, s.Default) > (double)best.Value / Math.Max(1, best.Default)) best = s;
        return (best.Option, best.Value);
    }

    /// <summary>Bytes as people read them: "240 GB", "18.5 GB", "512 MB" (powers of 1024, as --max-memory's K, M, G, T).</summary>
    public static string Show(double bytes)
    {
        string[] units = { "bytes", "KB", "MB", "GB", "TB", "PB", "EB" };
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1) { bytes /= 1024; u++; }
        string n = u == 0 || bytes >= 100 ? Math.Round(bytes).ToString("N0", CultureInfo.InvariantCulture) : bytes.ToString(bytes >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture);
        return $"{n} {units[u]}";
    }

    /// <summary>
    /// <c>text train</c>: the character LSTM <paramref name="model"/> trained on windows of
    /// <paramref name="seq"/> × <paramref name="batch"/> characters with Adam, validated in chunks
    /// of up to 64 streams × 128 characters, over a corpus of <paramref name="corpusChars"/> characters.
    /// </summary>
    public static MemoryEstimate ForText(CharLstmConfig model, int seq, int batch, long corpusChars)
    {
        double v = model.Vocabulary, e = model.Embed, h = model.Hidden, l = model.Layers;
        double p = v * e + Recurrent.ClosedFormParameters(CellType.Lstm, model.Embed, model.Hidden)
                 + (l - 1) * Recurrent.ClosedFormParameters(CellType.Lstm, model.Hidden, model.Hidden) + v * h + v;
        double positions = (double)seq * batch, evaluated = 64.0 * TextEvaluator.ChunkFor(64, model.Vocabulary);
        // per position: each layer's cache (4 gates, c, tanh c, h) and its gradients, the embedding
        // and its gradient, the logits, their softmax and gradient; validation keeps no gradients
        double activations = 4 * Math.Max(positions * (l * 10 * h + 2 * e + 3 * v), evaluated * (l * 7 * h + e + 2 * v));
        double symbols = corpusChars * (v <= 256 ? 1.0 : v <= 65536 ? 2 : 4);
        // the largest arrays: the logits, the embedding / output layer, the gate caches, and a layer's
        // 4H × max(E, H) input and recurrent weights
        double largest = Math.Max(Math.Max(positions * v, v * Math.Max(e, 4 * h)), Math.Max(positions * 4 * h * 2, 4 * h * Math.Max(e, h)));
        return new MemoryEstimate(3 * 4 * p, 2 * 4 * p, activations, symbols + (2 << 20), largest);
    }

    /// <summary>
    /// <c>rnn train</c> (one point of <c>rnn sweep</c>): a sequence classifier over <paramref name="vocabulary"/>
    /// symbols and <paramref name="classes"/> classes, input length <paramref name="length"/>, batch
    /// <paramref name="batch"/>; <paramref name="embed"/> 0 is one-hot input; the reference cells
    /// (autograd) keep every step's intermediate tensors.
    /// </summary>
    public static MemoryEstimate ForSequence(CellType cell, bool bidirectional, int vocabulary, int classes, int embed, int hidden, int layers,
        int length, int batch, bool reference)
    {
        double dirs = bidirectional ? 2 : 1, h = hidden, g = Recurrent.GateCount(cell);
        double d0 = embed > 0 ? embed : vocabulary;
        double p = dirs * (Recurrent.ClosedFormParameters(cell, (long)d0, hidden) + (layers - 1) * Recurrent.ClosedFormParameters(cell, (long)(dirs * h), hidden))
                 + (embed > 0 ? (double)vocabulary * embed : 0) + classes * (dirs * h + 1);
        double positions = (double)length * Math.Max(batch, 1000);      // the test accuracy runs 1,000 examples at once
        double perUnit = reference ? 12 * (g + 3) : 2 * (g + 3);
        double activations = 4 * positions * dirs * layers * perUnit * h + 4 * positions * (embed > 0 ? 2 * embed : 0);
        double largest = Math.Max(positions * dirs * g * h, dirs * g * h * Math.Max(d0, h));
        return new MemoryEstimate(3 * 4 * p, 2 * 4 * p, activations, 8.0 * length * batch, largest);
    }

    /// <summary>
    /// <c>graph train</c>: GCN (<paramref name="heads"/> 0) or GAT on <paramref name="nodes"/> nodes with
    /// <paramref name="features"/> input features (<paramref name="featureValues"/> of them non-zero),
    /// <paramref name="edges"/> stored edges (self-loops included), <paramref name="classes"/> classes.
    /// </summary>
    public static MemoryEstimate ForGraph(long nodes, long features, long featureValues, long edges, int classes, int hidden, int heads, int outputHeads)
    {
        double n = nodes, f = features, c = classes, e = edges;
        double width = heads > 0 ? (double)heads * hidden : hidden, oh = heads > 0 ? outputHeads : 0;
        double p = f * width + 3 * width + width * c * Math.Max(oh, 1) + 3 * c * Math.Max(oh, 1);
        // hidden and output layers with dropout masks and gradients; GAT's scores, α and its dropout per edge and head
        double activations = 4 * (8 * n * width + 8 * n * c * Math.Max(oh, 1) + 6 * e * (heads + oh) + 2 * featureValues);
        double data = 8.0 * featureValues * 2 + 12 * e * 2 + 64 * n;
        double largest = Math.Max(f * width, Math.Max(n * width, e * Math.Max(heads, 1)));
        return new MemoryEstimate(3 * 4 * p + 4 * p, 2 * 4 * p, activations, data, largest);
    }

    /// <summary>
    /// <c>text sample</c>: a checkpoint whose tensors file has <paramref name="tensorBytes"/> bytes (its
    /// weights, read once, then the sampler's tables), generating <paramref name="characters"/> characters.
    /// </summary>
    public static MemoryEstimate ForSampling(long tensorBytes, long characters) =>
        new(3.0 * tensorBytes, 0, 0, 6.0 * characters, characters);
}
