using System.Diagnostics;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// <c>text sample</c>: loads a checkpoint and generates <see cref="TextSampleConfig.Count"/> samples
/// with <see cref="TextSampler"/> (the prompt is fed once, the state carried; never recomputed).
/// Progress: each finished sample. Writes no files. Cancellation throws <see cref="OperationCanceledException"/> (the samples so far have been reported).
/// </summary>
public sealed class TextSampling : IExperiment<TextSampleConfig, string, TextSampleResult>
{
    /// <inheritdoc/>
    public static TextSampleResult Run(TextSampleConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var loaded = TextCheckpoint.LoadModel(config.Checkpoint);
        int[]? promptSymbols = null;
        if (config.Prompt is { } prompt)
        {
            promptSymbols = TextCorpus.Encode(loaded.Vocabulary, prompt, out var unknown);
            if (unknown.Count > 0)
                throw new ConfigException("--prompt", $"--prompt contains characters the model never saw: {string.Join(" ", unknown.Distinct().Take(10).Select(u => $"'{char.ConvertFromUtf32(u)}' (U+{u:X4})"))}");
        }
        var sampler = new TextSampler(new CharLstmInference(loaded.Model));
        var rng = new Rng(config.Seed);
        var decoding = new Decoding(config.Temperature, config.TopK);
        var output = new int[config.Length];
        var texts = new List<string>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < config.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var start = promptSymbols ?? new[] { rng.NextInt(loaded.Vocabulary.Length) };
            string head = config.Prompt ?? TextCorpus.Decode(loaded.Vocabulary, start);
            sampler.Generate(start, output, decoding, rng, cancel);
            string text = head + TextCorpus.Decode(loaded.Vocabulary, output);
            texts.Add(text);
            progress?.Report(text);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new TextSampleResult
        {
            Samples = texts.ToArray(), Step = loaded.Step, Temperature = config.Temperature, TopK = config.TopK, Seed = config.Seed,
            CharsPerSecond = Math.Round(config.Count * (double)config.Length / Math.Max(seconds, 1e-9), 1),
        };
    }
}
