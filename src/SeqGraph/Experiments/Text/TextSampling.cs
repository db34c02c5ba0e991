using SeqGraph.IO;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// <c>text sample</c>: loads a checkpoint and generates <see cref="TextSampleConfig.Count"/> samples
/// with <see cref="Training.TextSampler"/> (the prompt is fed once, the state carried; never
/// recomputed), through a <see cref="TextSampleSession"/>. Progress: the text as it is generated,
/// in pieces (<see cref="TextSampleProgress"/>). Writes no files. Cancellation throws
/// <see cref="OperationCanceledException"/> (the text so far has been reported).
/// </summary>
public sealed class TextSampling : IExperiment<TextSampleConfig, TextSampleProgress, TextSampleResult>
{
    /// <inheritdoc/>
    public static TextSampleResult Run(TextSampleConfig config, RunFolder? folder = null, IProgress<TextSampleProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return TextSampleSession.Open(config).Sample(config.Prompt, config.Seed, progress, cancel);
    }
}
