using System.Diagnostics;
using System.Text;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// A checkpoint loaded once for any number of <c>text sample</c> calls with the same settings:
/// <see cref="TextSampling.Run"/> is one <see cref="Sample"/>; the interactive mode is one
/// <see cref="SamplePrompt"/> per line read. Samples are generated in pieces of 16 characters and
/// reported (<see cref="TextSampleProgress"/>) after every line break and at least every 50 ms,
/// so text appears as it is sampled; the pieces change nothing in what is drawn.
/// </summary>
public sealed class TextSampleSession
{
    /// <summary>Characters at the start of each call counted as warm-up, not timed for the speed.</summary>
    public const int WarmupCharacters = 1000;

    private const int Block = 16;
    private static readonly long FlushTicks = Stopwatch.Frequency / 20;

    private readonly TextSampler _sampler;
    private readonly Decoding _decoding;

    private TextSampleSession(TextSampleConfig config, TextModel loaded)
    {
        Config = config;
        Loaded = loaded;
        _sampler = new TextSampler(new CharLstmInference(loaded.Model));
        _decoding = new Decoding(config.Temperature, config.TopK);
    }

    /// <summary>The settings (their <see cref="TextSampleConfig.Prompt"/> and <see cref="TextSampleConfig.Seed"/> are what <see cref="TextSampling.Run"/> passes).</summary>
    public TextSampleConfig Config { get; }

    /// <summary>The checkpoint's model, vocabulary and settings.</summary>
    public TextModel Loaded { get; }

    /// <summary>Validates <paramref name="config"/> and loads its checkpoint.</summary>
    public static TextSampleSession Open(TextSampleConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        config.CheckMemory();
        return new TextSampleSession(config, TextCheckpoint.LoadModel(config.Checkpoint));
    }

    /// <summary>
    /// Validates <paramref name="config"/> and samples from <paramref name="loaded"/>, a checkpoint
    /// loaded before (a server keeps one for many requests); <see cref="TextSampleConfig.Checkpoint"/>
    /// only names it. The model is only read, so sessions on other threads may share it.
    /// </summary>
    public static TextSampleSession Open(TextSampleConfig config, TextModel loaded)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loaded);
        config.Validate();
        config.CheckMemory();
        return new TextSampleSession(config, loaded);
    }

    /// <summary>
    /// The <paramref name="index"/>-th prompt of an interactive session (from 0), sampled with the
    /// seed <see cref="TextSampleConfig.Seed"/> + <paramref name="index"/>: the same as a one-shot
    /// <c>text sample --prompt P --seed S+index</c>.
    /// </summary>
    public TextSampleResult SamplePrompt(int index, string prompt, IProgress<TextSampleProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(prompt);
        return Sample(prompt, unchecked(Config.Seed + (ulong)index), progress, cancel);
    }

    /// <summary>
    /// Generates <see cref="TextSampleConfig.Count"/> samples of <see cref="TextSampleConfig.Length"/>
    /// characters continuing <paramref name="prompt"/> (null: a random first character per sample)
    /// from one generator seeded with <paramref name="seed"/>. Cancellation throws
    /// <see cref="OperationCanceledException"/> (what was generated has been reported).
    /// </summary>
    public TextSampleResult Sample(string? prompt, ulong seed, IProgress<TextSampleProgress>? progress = null, CancellationToken cancel = default)
    {
        var vocabulary = Loaded.Vocabulary;
        int[]? promptSymbols = prompt is null ? null : Encode(prompt);
        int count = Config.Count, length = Config.Length;
        var rng = new Rng(seed);
        var block = new int[Block];
        var samples = new string[count];
        var text = new StringBuilder();
        var pending = new StringBuilder();
        long total = (long)count * length, done = 0;
        int warmup = (int)Math.Min(WarmupCharacters, total);
        long start = Stopwatch.GetTimestamp();
        long warm = warmup == 0 ? start : -1;
        for (int i = 0; i < count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var first = promptSymbols ?? new[] { rng.NextInt(vocabulary.Length) };
            string head = prompt ?? TextCorpus.Decode(vocabulary, first);
            _sampler.Start(first);
            text.Clear().Append(head);
            pending.Clear().Append(head);
            long lastReport = Stopwatch.GetTimestamp();
            for (int made = 0; made < length;)
            {
                int n = Math.Min(Block, length - made);
                if (done < warmup) n = (int)Math.Min(n, warmup - done);
                var part = block.AsSpan(0, n);
                try { _sampler.Continue(part, _decoding, rng, cancel); }
                catch (NonFiniteOutputException e) { throw e.ForFile(CheckpointFile(Config.Checkpoint)); }
                made += n;
                done += n;
                long now = Stopwatch.GetTimestamp();
                if (warm < 0 && done == warmup) warm = now;
                string piece = TextCorpus.Decode(vocabulary, part);
                text.Append(piece);
                if (progress is null) continue;
                pending.Append(piece);
                if (made < length && (piece.Contains('\n') || now - lastReport >= FlushTicks))
                {
                    progress.Report(new TextSampleProgress(i, pending.ToString(), false));
                    pending.Clear();
                    lastReport = now;
                }
            }
            samples[i] = text.ToString();
            progress?.Report(new TextSampleProgress(i, pending.ToString(), true));
        }
        long end = Stopwatch.GetTimestamp();
        double? speed = total > warmup ? Math.Round((total - warmup) / Math.Max(Stopwatch.GetElapsedTime(warm, end).TotalSeconds, 1e-9), 1) : null;
        return new TextSampleResult
        {
            Samples = samples, Step = Loaded.Step, Temperature = Config.Temperature, TopK = Config.TopK, Seed = seed,
            CharsPerSecond = speed, WarmupCharacters = warmup,
            WarmupSeconds = Math.Round(Stopwatch.GetElapsedTime(start, warm < 0 ? end : warm).TotalSeconds, 4),
        };
    }

    /// <summary>The tensor file of the checkpoint <paramref name="checkpoint"/> (a folder, or one of its two files), for messages.</summary>
    internal static string CheckpointFile(string checkpoint) =>
        Path.Combine(IO.Checkpoint.FolderOfFile(checkpoint) ?? checkpoint, IO.Checkpoint.TensorsFileName);

    private int[] Encode(string prompt)
    {
        if (prompt.Length == 0) throw new ConfigException("--prompt", "--prompt is empty");
        var symbols = TextCorpus.Encode(Loaded.Vocabulary, prompt, out var unknown);
        if (unknown.Count > 0)
            throw new ConfigException("--prompt", $"--prompt contains characters the model never saw: {string.Join(" ", unknown.Distinct().Take(10).Select(u => $"'{char.ConvertFromUtf32(u)}' (U+{u:X4})"))}");
        return symbols;
    }
}
