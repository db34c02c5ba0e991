using System.Text.Json.Nodes;

namespace SeqGraph.IO;

/// <summary>
/// A checkpoint whose two files have been checked against each other, before any tensor data is
/// read: what <see cref="Checkpoint.Load"/> shows its inspector.
/// </summary>
/// <param name="SidecarPath">The model.json read (the path error messages name).</param>
/// <param name="TensorsPath">The model.safetensors read.</param>
/// <param name="Sidecar">The model.json object.</param>
/// <param name="Tensors">The tensor file's header entries (name, dtype, shape), in data order.</param>
public sealed record CheckpointHeader(string SidecarPath, string TensorsPath, JsonObject Sidecar, IReadOnlyList<SafeTensorInfo> Tensors)
{
    /// <summary>The largest width (hidden, embedding, features, classes) a checkpoint's sidecar may give.</summary>
    public const int MaxWidth = 1 << 20;

    /// <summary>The most layers or attention heads a checkpoint's sidecar may give.</summary>
    public const int MaxDepth = 1024;

    /// <summary>The most parameters a checkpoint's model may have (8 GiB of float32).</summary>
    public const long MaxParameters = 1L << 31;

    /// <summary>Parameters a model may have and still be built to name the tensor that does not fit (4 MiB of float32).</summary>
    public const long SmallModel = 1L << 20;

    /// <summary>
    /// <paramref name="value"/>, the sidecar's <paramref name="key"/>, when it is in [1, <paramref name="max"/>];
    /// else an <see cref="InvalidDataException"/> naming the file, the key and the size.
    /// </summary>
    public int RequireSize(string key, int value, int max = MaxWidth) =>
        value >= 1 && value <= max ? value
            : throw new InvalidDataException($"{SidecarPath}: \"{key}\" is {value:N0}, {(value < 1 ? "not positive" : $"more than the {max:N0} a checkpoint may have")}");

    /// <summary>The elements of the tensors whose names do not start with <paramref name="excludedPrefix"/> (all when null).</summary>
    public long ElementCount(string? excludedPrefix = null) =>
        Tensors.Where(t => excludedPrefix is null || !t.Name.StartsWith(excludedPrefix, StringComparison.Ordinal)).Sum(t => t.ElementCount);

    /// <summary>
    /// Refuses the checkpoint (an <see cref="InvalidDataException"/> naming the file) when the model the
    /// sidecar describes (<paramref name="model"/>, e.g. "a char-LSTM with hidden 16") has more than
    /// <paramref name="limit"/> parameters, or more than the file's parameter tensors hold
    /// (<see cref="ElementCount"/>) and more than <see cref="SmallModel"/>: building the model then costs
    /// no more memory than the file holds (or than a small model), and a model that is built names the
    /// tensor of the wrong shape when its weights are copied in.
    /// </summary>
    public void RequireParameters(long expected, string model, long limit, string? excludedPrefix = null)
    {
        if (expected > limit)
            throw new InvalidDataException($"{SidecarPath}: describes {model}: {expected:N0} parameters, more than the {limit:N0} a checkpoint may have");
        long found = ElementCount(excludedPrefix);
        // a model no larger than the file's weights (or than SmallModel) is built, and LoadModule names the tensor that does not fit
        if (found != expected && expected > Math.Max(found, SmallModel))
            throw new InvalidDataException($"{TensorsPath}: holds {found:N0} parameter values, but {Path.GetFileName(SidecarPath)} describes {model}, which has {expected:N0} (the sizes in {Path.GetFileName(SidecarPath)} do not fit the weights)");
    }
}
